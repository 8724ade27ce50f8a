import { civilityAttributeOf, PERSPECTIVE_ATTRIBUTES } from './attributes';
import type { CivilityAttribute } from './civility-port';
import { invalidArgument } from './errors';

/**
 * Perspective's request bodies, checked the way Perspective checks them: an unknown attribute, an
 * empty or too long comment, an unsupported score type or a bad value is a 400 that names it.
 * Fields Perspective accepts and we have no use for (context, communityId, sessionId) are ignored.
 */

/** Perspective's limit on comment.text: 20 KB of UTF-8. */
export const MAX_TEXT_BYTES = 20480;
const MAX_ATTRIBUTES = 20;
const MAX_LANGUAGES = 10;
const MAX_CLIENT_TOKEN = 512;
const LANGUAGE_TAG = /^[A-Za-z0-9_-]{1,35}$/;

export interface RequestedAttribute {
  /** As the client spelled it (the answer uses the same key). */
  name: string;
  civility: CivilityAttribute;
  /** Only answer this attribute when its score is at least this. */
  scoreThreshold?: number;
}

export interface AnalyzeRequest {
  text: string;
  attributes: RequestedAttribute[];
  /** The languages the client declares, or null to detect. */
  languages: string[] | null;
  spanAnnotations: boolean;
  doNotStore: boolean;
  clientToken?: string;
}

export interface SuggestScoreRequest {
  text: string;
  /** The suggested summary scores, by attribute as the client spelled it. */
  scores: { name: string; value: number }[];
  languages: string[] | null;
  clientToken?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function expectObject(v: unknown, field: string): Record<string, unknown> {
  if (!isObject(v)) throw invalidArgument(`Invalid JSON payload received. ${field} must be an object.`);
  return v;
}

function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidArgument(`Invalid value at '${field}': expected true or false.`);
  return v;
}

function commentText(body: Record<string, unknown>): string {
  if (body.comment === undefined) throw invalidArgument('Comment must be specified.', 'COMMENT_EMPTY');
  const comment = expectObject(body.comment, 'comment');
  if (comment.type !== undefined && comment.type !== 'PLAIN_TEXT') {
    throw invalidArgument(`Invalid value at 'comment.type': only PLAIN_TEXT is supported.`, 'COMMENT_TYPE_NOT_SUPPORTED');
  }
  if (comment.text !== undefined && typeof comment.text !== 'string') throw invalidArgument(`Invalid value at 'comment.text': expected a string.`);
  const text = (comment.text as string | undefined) ?? '';
  if (text.trim() === '') throw invalidArgument('Comment text must be non-empty.', 'COMMENT_EMPTY');
  // A UTF-16 unit is at most 3 bytes of UTF-8: count exactly only when the text may be over the limit.
  const bytes = text.length * 3 <= MAX_TEXT_BYTES ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_TEXT_BYTES) throw invalidArgument(`Comment text too long: ${bytes} bytes of UTF-8, the limit is ${MAX_TEXT_BYTES}.`, 'COMMENT_TOO_LONG');
  return text;
}

function languages(body: Record<string, unknown>): string[] | null {
  const v = body.languages;
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.length > MAX_LANGUAGES || !v.every((l) => typeof l === 'string' && LANGUAGE_TAG.test(l))) {
    throw invalidArgument(`Invalid value at 'languages': expected up to ${MAX_LANGUAGES} language codes such as "en".`);
  }
  return v.length ? (v as string[]) : null;
}

function clientToken(body: Record<string, unknown>): string | undefined {
  const v = body.clientToken;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > MAX_CLIENT_TOKEN) throw invalidArgument(`Invalid value at 'clientToken': expected a string of at most ${MAX_CLIENT_TOKEN} characters.`);
  return v;
}

function attributeNamed(name: string) {
  const civility = civilityAttributeOf(name);
  if (!civility) {
    throw invalidArgument(`Unknown attribute: ${name.slice(0, 100)}. This service answers ${PERSPECTIVE_ATTRIBUTES.join(', ')}.`, 'ATTRIBUTE_NOT_SUPPORTED');
  }
  return civility;
}

function attributeEntries(v: unknown, field: string): [string, unknown][] {
  const obj = expectObject(v, field);
  const entries = Object.entries(obj);
  if (entries.length === 0) throw invalidArgument(`${field} must name at least one attribute.`);
  if (entries.length > MAX_ATTRIBUTES) throw invalidArgument(`${field} names ${entries.length} attributes; at most ${MAX_ATTRIBUTES} are allowed.`);
  return entries;
}

const isProbability = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;

/** POST comments:analyze. */
export function parseAnalyzeRequest(raw: unknown): AnalyzeRequest {
  const body = expectObject(raw, 'The request body');
  const text = commentText(body);
  if (body.requestedAttributes === undefined) throw invalidArgument('requestedAttributes must be specified.');
  const attributes = attributeEntries(body.requestedAttributes, 'requestedAttributes').map(([name, options]): RequestedAttribute => {
    const civility = attributeNamed(name);
    const opts = options === null ? {} : expectObject(options, `requestedAttributes.${name}`);
    if (opts.scoreType !== undefined && opts.scoreType !== 'PROBABILITY') {
      throw invalidArgument(`Invalid value at 'requestedAttributes.${name}.score_type': only PROBABILITY is supported.`);
    }
    if (opts.scoreThreshold !== undefined && !isProbability(opts.scoreThreshold)) {
      throw invalidArgument(`Invalid value at 'requestedAttributes.${name}.score_threshold': expected a number from 0 to 1.`);
    }
    return { name, civility, ...(opts.scoreThreshold !== undefined ? { scoreThreshold: opts.scoreThreshold as number } : {}) };
  });
  return {
    text,
    attributes,
    languages: languages(body),
    spanAnnotations: optionalBoolean(body, 'spanAnnotations') ?? false,
    doNotStore: optionalBoolean(body, 'doNotStore') ?? false,
    clientToken: clientToken(body),
  };
}

/** POST comments:suggestscore. */
export function parseSuggestScoreRequest(raw: unknown): SuggestScoreRequest {
  const body = expectObject(raw, 'The request body');
  const text = commentText(body);
  if (body.attributeScores === undefined) throw invalidArgument('attributeScores must be specified.');
  const scores = attributeEntries(body.attributeScores, 'attributeScores').map(([name, score]) => {
    attributeNamed(name);
    const summary = expectObject(score, `attributeScores.${name}`).summaryScore;
    if (summary === undefined) throw invalidArgument(`attributeScores.${name}.summaryScore must be specified: this service learns from summary scores only.`);
    const value = expectObject(summary, `attributeScores.${name}.summaryScore`).value;
    if (!isProbability(value)) throw invalidArgument(`Invalid value at 'attributeScores.${name}.summary_score.value': expected a number from 0 to 1.`);
    return { name, value };
  });
  return { text, scores, languages: languages(body), clientToken: clientToken(body) };
}
