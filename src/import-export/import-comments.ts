import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { detachOrphanReplies, moveToArticles } from '../db/comment-origin-repository';
import { insertDecidedComments, type DecidedComment } from '../db/comment-repository';
import { withTransaction, type Pool } from '../db/pool';
import { fingerprintBody } from '../moderation/fingerprint';
import { articleIdFor, placeholderArticleId, type ArticleRule } from './article-id';
import { readExport } from './read-export';
import type { ImportedStatus, ImportedType, ImportSource, ParsedComment, ReadResult } from './types';

/** Comments stored per statement: one round trip each, small enough that memory stays flat. */
export const IMPORT_BATCH = 500;

const SOURCE_NAMES: Record<ImportSource, string> = { wordpress: 'WordPress', disqus: 'Disqus' };

export interface ImportOptions {
  source: ImportSource;
  file: string;
  articleRule: readonly ArticleRule[];
  /**
   * Names the site the export comes from, when several sites' exports reuse the same post URLs and
   * comment ids (development copies at http://localhost): part of each comment's origin. '' by default.
   */
  site?: string;
  /** Told how far the file has been read (bytes), after each chunk. */
  onProgress?: (bytesRead: number, read: number) => void;
  /** The time given to comments whose export has no usable date. */
  now?: Date;
}

type Tally = Record<ImportedStatus, number>;
const tally = (): Tally => ({ approved: 0, pending: 0, spam: 0, trash: 0 });

/** What an import did. `read` = `imported` + `skipped` + `invalid`. */
export interface ImportSummary {
  source: ImportSource;
  file: string;
  read: number;
  /** Stored now. */
  imported: number;
  /** Already stored by an earlier run (same origin), or twice in the file. */
  skipped: number;
  /** Not storable: no origin id. */
  invalid: number;
  byStatus: { read: Tally; imported: Tally };
  byType: Record<ImportedType, number>;
  /** Comments whose export names no article: stored under a placeholder article (see articleIdFor). */
  withoutArticle: number;
  /** Replies whose parent is in neither the file nor the database: stored as top-level comments. */
  orphanReplies: number;
  /** IP addresses that are not addresses: stored as none. */
  droppedIps: number;
  /** Comments with no usable GMT date: stored with the import's time. */
  undated: number;
  notes: string[];
}

/**
 * The comment id of an imported comment: a UUID derived from its origin (source, site, scope, id), so the
 * same comment gets the same id on every run, and a reply can name its parent before the parent is
 * read (a child may come first in the file).
 */
export function originUuid(source: ImportSource, site: string, scope: string, originId: string): string {
  const h = createHash('sha256').update(`${source}\u0000${site}\u0000${scope}\u0000${originId}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50; // version 5 layout (name-based, SHA hash)
  h[8] = (h[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The reason every imported comment carries, for moderators reading its trail. */
function importVerdict(source: ImportSource, status: ImportedStatus) {
  return { check: 'import', verdict: 'pass' as const, score: 0, reasons: [{ code: `imported_from_${source}`, message: `Imported from ${SOURCE_NAMES[source]}, where it was ${status}.` }] };
}

/**
 * Imports one export file in ONE transaction: every comment goes through insertDecidedComments
 * (the worker's write path, keyed by origin) with its status as the export decided it and its
 * original GMT time; nothing is queued or re-checked. The file is streamed (a chunk's comments are
 * stored before the next chunk is read), so memory stays flat however large it is, and an error
 * anywhere — XML that is not well-formed at line 3,000,000, the database going away — rolls the
 * whole import back: nothing is half-imported. Re-running it stores nothing twice.
 */
export async function importComments(pool: Pool, opts: ImportOptions): Promise<ImportSummary> {
  const { source, file } = opts;
  const now = opts.now ?? new Date();
  const site = opts.site ?? '';
  const summary: ImportSummary = {
    source,
    file,
    read: 0,
    imported: 0,
    skipped: 0,
    invalid: 0,
    byStatus: { read: tally(), imported: tally() },
    byType: { comment: 0, pingback: 0, trackback: 0 },
    withoutArticle: 0,
    orphanReplies: 0,
    droppedIps: 0,
    undated: 0,
    notes: [],
  };

  const toDecided = (c: ParsedComment): DecidedComment => {
    // A file this service exported names each comment's id here: the same comment, whatever its origin.
    const id = c.serviceId ?? originUuid(source, site, c.scope, c.originId);
    let ip = c.authorIp;
    if (ip !== null && (ip.length > 64 || isIP(ip) === 0)) {
      ip = null;
      summary.droppedIps += 1;
    }
    if (!c.createdAtGmt) summary.undated += 1;
    if (!c.articleKey) summary.withoutArticle += 1;
    return {
      comment: {
        id,
        articleId: articleIdFor({ ...c, source }, opts.articleRule),
        parentId: c.serviceId !== undefined ? (c.serviceParentId ?? null) : c.parentOriginId ? originUuid(source, site, c.scope, c.parentOriginId) : null,
        authorName: c.authorName,
        authorEmail: c.authorEmail ?? '',
        authorUrl: c.authorUrl,
        body: c.body,
      },
      request: { ip, userAgent: null, referrer: null, receivedAt: c.createdAtGmt ?? now.toISOString() },
      decision: { status: c.status, score: 0, verdicts: [importVerdict(source, c.status)] },
      fingerprint: fingerprintBody(c.body),
      eventReasons: importVerdict(source, c.status).reasons,
      actor: `import:${source}`,
      origin: {
        source,
        site,
        scope: c.scope,
        originId: c.originId,
        parentOriginId: c.parentOriginId,
        articleKey: c.articleKey,
        articleTitle: c.articleTitle,
        type: c.type,
      },
    };
  };

  return withTransaction(pool, async (client) => {
    const comments = readExport(source, file, (bytes) => opts.onProgress?.(bytes, summary.read));
    let result: ReadResult;
    for (;;) {
      const next = await comments.next();
      if (next.done) {
        result = next.value;
        break;
      }
      for (let at = 0; at < next.value.length; at += IMPORT_BATCH) {
        const batch = new Map<string, { parsed: ParsedComment; decided: DecidedComment }>();
        for (const c of next.value.slice(at, at + IMPORT_BATCH)) {
          summary.read += 1;
          summary.byStatus.read[c.status] += 1;
          summary.byType[c.type] += 1;
          if (!c.originId) {
            summary.invalid += 1;
            continue;
          }
          const decided = toDecided(c);
          if (batch.has(decided.comment.id)) summary.skipped += 1;
          else batch.set(decided.comment.id, { parsed: c, decided });
        }
        const inserted = await insertDecidedComments(client, [...batch.values()].map((b) => b.decided));
        for (const { parsed, decided } of batch.values()) {
          if (inserted.has(decided.comment.id)) {
            summary.imported += 1;
            summary.byStatus.imported[parsed.status] += 1;
          } else summary.skipped += 1;
        }
      }
    }
    // Posts read before their thread: from the thread's placeholder article to its real one.
    const moves = [...result.lateThreads].map(([threadId, thread]) => ({
      from: placeholderArticleId({ source, scope: '', threadId }),
      to: articleIdFor({ source, scope: '', threadId, ...thread }, opts.articleRule),
      ...thread,
    }));
    for (let at = 0; at < moves.length; at += 5000) {
      const chunk = moves.slice(at, at + 5000);
      const withKey = chunk.filter((m) => m.articleKey);
      await moveToArticles(client, source, site, chunk.filter((m) => !m.articleKey));
      summary.withoutArticle -= await moveToArticles(client, source, site, withKey);
    }
    summary.orphanReplies = await detachOrphanReplies(client, source);
    summary.notes = result.notes;
    return summary;
  });
}
