import { randomUUID } from 'node:crypto';
import type { ModerationJob } from '../../src/queue/moderation-queue';

/**
 * Unique, unremarkable comments for the load: one reader (email) per comment, so the flood guard
 * (one comment per email per 15 s) lets each through, and bodies drawn from a vocabulary of a few
 * thousand words, so two bodies share word pairs about as rarely as real comments do (a vocabulary
 * of 40 words would make every body a near-duplicate candidate of every other one for the
 * campaign check, which real traffic does not).
 */
const SYLLABLES = 'ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo za ze'.split(' ');
const VOCABULARY = Array.from({ length: 4000 }, (_, i) => {
  const a = SYLLABLES[i % SYLLABLES.length];
  const b = SYLLABLES[Math.floor(i / SYLLABLES.length) % SYLLABLES.length];
  const c = SYLLABLES[Math.floor(i / (SYLLABLES.length * SYLLABLES.length)) % SYLLABLES.length];
  return `${a}${b}${i % 3 === 0 ? c : ''}`;
});

let counter = 0;
const run = randomUUID().slice(0, 8);

function body(): string {
  const n = 12 + Math.floor(Math.random() * 20);
  const words: string[] = [];
  for (let i = 0; i < n; i += 1) words.push(VOCABULARY[Math.floor(Math.random() * VOCABULARY.length)]);
  return `${words.join(' ')}.`;
}

/** A submission as a reader's browser posts it (JSON). */
export function submission(articleId: string): Record<string, string> {
  counter += 1;
  return {
    articleId,
    authorName: `Reader ${counter}`,
    authorEmail: `reader-${run}-${counter}@example.org`,
    body: body(),
  };
}

/** A job as the API enqueues it, for filling the queue directly (the backlog). */
export function queuedJob(articleId: string): ModerationJob {
  const s = submission(articleId);
  return {
    v: 1,
    comment: { id: randomUUID(), articleId, parentId: null, authorName: s.authorName, authorEmail: s.authorEmail, authorUrl: null, body: s.body, honeypot: undefined, formToken: null },
    // Public-looking addresses (198.18.0.0/15 is set aside for benchmarks), so the per-address history runs.
    request: { ip: `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`, userAgent: 'Mozilla/5.0 (bench)', referrer: null, receivedAt: new Date().toISOString() },
  };
}
