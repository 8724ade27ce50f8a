import type { Pool } from '../../src/db/pool';
import { sampleComment } from './harness';

/** One submission as the client saw it: an HTTP status, or the network error's code. */
export interface Submission {
  /** 202, 503, … or the error code (`ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, `timeout`). */
  outcome: number | string;
  id?: string;
  retryAfter?: string | null;
  /** The error body's `code` of a non-202 answer (`queue_unavailable`, `rate_limited`, …). */
  code?: string;
  target: string;
  startedAt: number;
  endedAt: number;
}

export interface LoadOptions {
  /** Base URLs to submit to, round-robin; asked before every request. */
  targets: () => string[];
  articleId: string;
  /** Stop after this many submissions (default: until `stop()`). */
  total?: number;
  parallel: number;
  /** At most this many submissions started per second (default: as fast as answered). */
  ratePerSec?: number;
  /** Called after every answer with the number answered so far. */
  onProgress?: (answered: number) => void;
}

export interface Load {
  results: Submission[];
  stop(): void;
  done: Promise<Submission[]>;
}

function errorCode(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  return e?.cause?.code ?? e?.code ?? e?.cause?.name ?? e?.name ?? 'error';
}

function errorBodyCode(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/** Posts sample comments (unique emails, so flood control never links two) until `total` or `stop()`. */
export function startLoad(opts: LoadOptions): Load {
  const results: Submission[] = [];
  let started = 0;
  let stopped = false;
  const t0 = Date.now();
  const more = () => !stopped && (opts.total === undefined || started < opts.total);

  const one = async () => {
    while (more()) {
      const n = started++;
      if (opts.ratePerSec) {
        const due = t0 + (n * 1000) / opts.ratePerSec;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        if (stopped) return;
      }
      const targets = opts.targets();
      const target = targets[n % targets.length];
      const startedAt = Date.now();
      const result: Submission = { outcome: 0, target, startedAt, endedAt: 0 };
      try {
        const res = await fetch(`${target}/api/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(sampleComment(opts.articleId)),
          signal: AbortSignal.timeout(15000),
        });
        const text = await res.text();
        result.outcome = res.status;
        result.retryAfter = res.headers.get('retry-after');
        if (res.status === 202) result.id = (JSON.parse(text) as { id: string }).id;
        else result.code = errorBodyCode(text);
      } catch (err) {
        result.outcome = errorCode(err);
      }
      result.endedAt = Date.now();
      results.push(result);
      opts.onProgress?.(results.length);
    }
  };
  const done = Promise.all(Array.from({ length: opts.parallel }, one)).then(() => results);
  return {
    results,
    stop: () => {
      stopped = true;
    },
    done,
  };
}

export const acknowledgedIds = (results: Submission[]) => results.filter((r) => r.outcome === 202).map((r) => r.id!);

/** How many of `ids` are stored, waiting up to `timeoutMs` for all of them. */
export async function waitStored(pool: Pool, ids: string[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let stored = 0;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM comments WHERE id = ANY($1::uuid[])', [ids]);
    stored = rows[0].n;
    if (stored >= ids.length || Date.now() > deadline) return stored;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface Figures {
  submitted: number;
  acknowledged: number;
  /** Acknowledged comments found in Postgres. */
  stored: number;
  /** Rows of the article that no 202 announced (an answer lost on the way: allowed, never counted as stored). */
  unacknowledgedStored: number;
  /** Comments stored more than once: extra rows or extra first moderation events. */
  duplicates: number;
  unavailable503: number;
  /** Every other outcome, by status or error code. */
  other: Record<string, number>;
}

/** The figures each fault test prints and checks, from the client's results and the database. */
export async function figures(pool: Pool, articleId: string, results: Submission[]): Promise<Figures> {
  const acked = acknowledgedIds(results);
  const { rows } = await pool.query<{ stored: number; rows: number; extra_events: number }>(
    `SELECT count(*) FILTER (WHERE c.id = ANY($2::uuid[]))::int AS stored,
            count(*)::int AS rows,
            coalesce(sum(GREATEST(ev.n - 1, 0)), 0)::int AS extra_events
     FROM comments c
     LEFT JOIN LATERAL (SELECT count(*)::int AS n FROM moderation_events e WHERE e.comment_id = c.id AND e.from_status IS NULL) ev ON true
     WHERE c.article_id = $1`,
    [articleId, acked],
  );
  const r = rows[0];
  const other: Record<string, number> = {};
  for (const s of results) if (s.outcome !== 202 && s.outcome !== 503) other[String(s.outcome)] = (other[String(s.outcome)] ?? 0) + 1;
  return {
    submitted: results.length,
    acknowledged: acked.length,
    stored: r.stored,
    unacknowledgedStored: r.rows - r.stored,
    // Rows are keyed by the comment id, so a comment stored twice shows as a second first event.
    duplicates: r.extra_events,
    unavailable503: results.filter((s) => s.outcome === 503).length,
    other,
  };
}

/** One line per fault test in the CI output. */
export function printFigures(name: string, f: Figures, extra: Record<string, unknown> = {}): void {
  const others = Object.entries(f.other).map(([k, v]) => `${k}:${v}`).join(',') || 'none';
  const more = Object.entries(extra).map(([k, v]) => ` ${k}=${v}`).join('');
  process.stdout.write(
    `[fault] ${name}: submitted=${f.submitted} acknowledged=${f.acknowledged} stored=${f.stored} duplicates=${f.duplicates} 503s=${f.unavailable503}` +
      ` unacknowledged-stored=${f.unacknowledgedStored} other=${others}${more}\n`,
  );
}
