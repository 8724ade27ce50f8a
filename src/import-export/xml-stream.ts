import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import { ImportFileError } from './types';

/** Longest text one element may hold (a comment body): far above WordPress's 64 KB, and memory stays bounded. */
export const MAX_FIELD_CHARS = 1_000_000;

/** A reader of one export format: told of elements by local name (namespaces vary between exports). */
export interface XmlReader<T> {
  /** `depth`: how many elements are open, this one included (the root is 1). */
  open(local: string, attributes: Record<string, string>, depth: number): void;
  /** Character data (text or CDATA, entities decoded, CRLF → LF) of the element open at `depth`. */
  text(chunk: string, depth: number): void;
  close(local: string, depth: number): void;
  /** What was read since the last call, in document order. */
  drain(): T[];
}

/** The part of a tag name after its prefix: `wp:comment` → `comment`. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Trims XML whitespace (space, tab, CR, LF) only; a loop, not a regex, so long runs cost linear time. */
export function trimXml(text: string): string {
  const ws = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  let start = 0;
  let end = text.length;
  while (start < end && ws(text.charCodeAt(start))) start += 1;
  while (end > start && ws(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(start, end);
}

/**
 * Accumulates an element's text with a size cap, so a hostile file cannot fill memory through one
 * element. Throws when the cap is passed; the caller names the line.
 */
export class TextBuffer {
  private parts: string[] = [];
  private length = 0;
  add(chunk: string): boolean {
    this.length += chunk.length;
    if (this.length > MAX_FIELD_CHARS) return false;
    this.parts.push(chunk);
    return true;
  }
  take(): string {
    const value = trimXml(this.parts.join(''));
    this.parts = [];
    this.length = 0;
    return value;
  }
}

/**
 * Streams `file` through a SAX parser (saxes: strict XML 1.0 well-formedness, no DTD or external
 * entity resolution, positions for errors) into `reader`, never holding more than one read chunk
 * (64 KiB) of the file, and yields what the reader produced after each chunk, so the caller can
 * store it before the next chunk is read. Not namespace-aware on purpose: some exports use prefixes
 * they never declare (`atom:link`), which is still well-formed XML 1.0. A DOCTYPE is refused, as
 * WordPress's own importer does. Any error becomes an ImportFileError naming the line and column.
 */
export async function* streamXml<T>(file: string, reader: XmlReader<T>, onBytes?: (bytesRead: number) => void): AsyncGenerator<T[]> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  let depth = 0;
  let refused: string | null = null;
  parser.on('doctype', () => {
    refused ??= 'a DOCTYPE is not allowed in an export file';
  });
  parser.on('opentag', (tag) => {
    depth += 1;
    reader.open(localName(tag.name), tag.attributes as Record<string, string>, depth);
  });
  parser.on('text', (text) => reader.text(text, depth));
  parser.on('cdata', (text) => reader.text(text, depth));
  parser.on('closetag', (tag) => {
    reader.close(localName(tag.name), depth);
    depth -= 1;
  });

  const fail = (err: unknown): never => {
    if (err instanceof ImportFileError) throw err;
    if (err instanceof ReaderError) throw new ImportFileError(file, parser.line, parser.column, err.message);
    const message = err instanceof Error ? err.message : String(err);
    // saxes prefixes its messages with "line:column: "; the position is given separately.
    const reason = message.replace(/^\d+:\d+: /, '');
    throw new ImportFileError(file, parser.line, parser.column, reason.startsWith('not well-formed') ? reason : `not well-formed XML: ${reason}`);
  };
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  let bytes = 0;
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      bytes += Buffer.byteLength(chunk);
      try {
        parser.write(first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
      } catch (err) {
        fail(err);
      }
      first = false;
      if (refused) throw new ImportFileError(file, parser.line, parser.column, refused);
      onBytes?.(bytes);
      const produced = reader.drain();
      if (produced.length) yield produced;
    }
    try {
      parser.close();
    } catch (err) {
      fail(err);
    }
  } finally {
    stream.destroy();
  }
  const rest = reader.drain();
  if (rest.length) yield rest;
}

/** An error a reader raises for the element being read, placed by the parser's position. */
export class ReaderError extends Error {}
