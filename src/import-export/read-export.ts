import { DisqusReader } from './disqus-reader';
import { Notes } from './notes';
import type { ImportSource, ParsedComment, ReadResult } from './types';
import { WordPressReader } from './wordpress-reader';
import { streamXml } from './xml-stream';

/**
 * Streams the comments of an export file, in document order, one read chunk's worth at a time, and
 * returns (when the file is read) the notes and the Disqus threads that came after their posts.
 * Throws ImportFileError (naming the line) on XML that is not well-formed: the caller must not have
 * committed anything by then.
 */
export async function* readExport(source: ImportSource, file: string, onBytes?: (bytes: number) => void): AsyncGenerator<ParsedComment[], ReadResult> {
  const notes = new Notes();
  if (source === 'wordpress') {
    yield* streamXml(file, new WordPressReader(notes), onBytes);
    return { notes: notes.all(), lateThreads: new Map() };
  }
  const reader = new DisqusReader(notes);
  yield* streamXml(file, reader, onBytes);
  for (const id of reader.missingThreads()) notes.add(`thread dsq:id ${id} is not in the export: its posts have no article key`);
  return { notes: notes.all(), lateThreads: reader.lateThreads };
}

/** Reads a whole export into memory: for tests and small files only (the importer streams). */
export async function readExportFully(source: ImportSource, file: string): Promise<{ comments: ParsedComment[] } & ReadResult> {
  const comments: ParsedComment[] = [];
  const it = readExport(source, file);
  for (;;) {
    const next = await it.next();
    if (next.done) {
      // Posts read before their thread get the thread's article, as the importer does at the end.
      for (const c of comments) {
        const late = c.threadId ? next.value.lateThreads.get(c.threadId) : undefined;
        if (late && c.articleKey === null) Object.assign(c, late);
      }
      return { comments, ...next.value };
    }
    comments.push(...next.value);
  }
}
