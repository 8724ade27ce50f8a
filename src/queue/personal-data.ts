import { isIP } from 'node:net';
import type { Job, JobType, Queue } from 'bullmq';
import type { RedisClient as Redis } from './redis-connection';
import type { ModerationJob } from './moderation-queue';

/**
 * What the queue keeps about commenters, and how it is let go. A job holds the commenter's name,
 * email, link, IP address, user agent and text until the worker has stored the comment; completed
 * jobs are removed at once (jobOptions), failed ones stay to be replayed, so erasure and IP retention
 * reach into the queue too.
 */

/** Every state a job can rest in (completed ones are removed at once, but a job left by an older version may linger). */
const STATES: JobType[] = ['waiting', 'prioritized', 'delayed', 'waiting-children', 'active', 'failed', 'completed'];
const PAGE = 500;
/** What an erased commenter's queued comment is stored under, as in Postgres. */
const ERASED_NAME = 'Anonymous';
const ERASED = '[erased]';

/** Calls `visit` for every job of the queue (page by page, state by state). */
async function eachJob(queue: Queue<ModerationJob>, states: JobType[], visit: (job: Job<ModerationJob>, state: JobType) => void): Promise<void> {
  for (const state of states) {
    for (let start = 0; ; start += PAGE) {
      const jobs = await queue.getJobs([state], start, start + PAGE - 1, true);
      for (const job of jobs) if (job) visit(job, state);
      if (jobs.length < PAGE) break;
    }
  }
}

const emailOf = (job: Job<ModerationJob>) => (typeof job.data?.comment?.authorEmail === 'string' ? job.data.comment.authorEmail.trim().toLowerCase() : null);

/** Replaces every occurrence of each needle (case-insensitively) in `text`. */
function scrubText(text: string, needles: string[]): string {
  let out = text;
  for (const n of needles) out = out.split(new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi')).join(ERASED);
  return out;
}

/** The job's data with the author's details removed and the text kept (the `keep` erasure of Postgres). */
function scrubbedData(data: ModerationJob): ModerationJob {
  return {
    ...data,
    comment: { ...data.comment, authorName: ERASED_NAME, authorEmail: '', authorUrl: null },
    request: { ...data.request, ip: null, userAgent: null, referrer: null },
  };
}

export interface QueueErasure {
  /** Jobs of that email found in the queue: removed (`delete`) or scrubbed in place (`keep`). */
  jobs: number;
  /** The IP addresses those jobs carried (for the flood counters keyed by address). */
  ips: string[];
}

/**
 * Erases one email's data from the queue: jobs waiting, delayed, active or failed are removed
 * (`delete`) or keep their text with name, email, link, IP, user agent and referrer gone (`keep`;
 * a replay then stores the comment as Postgres's erasure leaves it), failure reasons and the events
 * stream lose any mention of the email, name or address. A job a worker is running is scrubbed too,
 * and waited for (up to `activeWaitMs`): its comment is then in Postgres, for the database's
 * erasure to reach, which must run after this.
 */
export async function eraseFromQueue(
  queue: Queue<ModerationJob>,
  redis: Redis,
  email: string,
  bodies: 'keep' | 'delete',
  opts: { activeWaitMs?: number } = {},
): Promise<QueueErasure> {
  const wanted = email.trim().toLowerCase();
  const found: { job: Job<ModerationJob>; state: JobType }[] = [];
  await eachJob(queue, STATES, (job, state) => {
    if (emailOf(job) === wanted) found.push({ job, state });
  });
  const ips = [...new Set(found.map(({ job }) => job.data.request?.ip).filter((ip): ip is string => !!ip && isIP(ip) !== 0))];
  const needles = [wanted, ...ips, ...found.map(({ job }) => job.data.comment.authorName).filter((n) => typeof n === 'string' && n.length >= 3 && n !== ERASED_NAME)];
  const active: Job<ModerationJob>[] = [];

  for (const { job, state } of found) {
    if (bodies === 'delete' && state !== 'active') {
      const removed = await job.remove().then(
        () => true,
        () => false, // taken by a worker meanwhile: scrubbed below and waited for
      );
      if (removed) continue;
    }
    try {
      await job.updateData(scrubbedData(job.data));
    } catch {
      continue; // finished meanwhile: its comment is in Postgres (completed jobs are removed)
    }
    await scrubJobHash(redis, queue.toKey(String(job.id)), job, needles);
    if (state === 'active' || (await job.getState()) === 'active') active.push(job);
  }
  await scrubEvents(redis, queue.keys.events, needles);
  await waitUntilNotActive(active, opts.activeWaitMs ?? 10000);
  return { jobs: found.length, ips };
}

/** Failure reason and stack trace without the needles; the job's log lines go. */
async function scrubJobHash(redis: Redis, key: string, job: Job<ModerationJob>, needles: string[]): Promise<void> {
  const fields: string[] = [];
  if (job.failedReason) fields.push('failedReason', scrubText(job.failedReason, needles));
  if (job.stacktrace?.length) fields.push('stacktrace', JSON.stringify(job.stacktrace.map((s) => scrubText(String(s), needles))));
  // HSET only on a hash that still exists: never re-create a removed job as a stub.
  if (fields.length && (await redis.exists(key))) await redis.hset(key, ...fields);
  await redis.del(`${key}:logs`);
}

/** Deletes the events-stream entries that mention a needle (a failure reason may quote a value). */
async function scrubEvents(redis: Redis, stream: string, needles: string[]): Promise<void> {
  const lower = needles.map((n) => n.toLowerCase());
  let from = '-';
  for (;;) {
    const entries = await redis.xrange(stream, from, '+', 'COUNT', 1000);
    const hits = entries.filter(([, fields]) => fields.some((f) => lower.some((n) => f.toLowerCase().includes(n)))).map(([id]) => id);
    if (hits.length) await redis.xdel(stream, ...hits);
    if (entries.length < 1000) return;
    from = `(${entries[entries.length - 1][0]}`;
  }
}

async function waitUntilNotActive(jobs: Job<ModerationJob>[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = jobs;
  while (pending.length && Date.now() < deadline) {
    const states = await Promise.all(pending.map((j) => j.getState()));
    pending = pending.filter((_, i) => states[i] === 'active');
    if (pending.length) await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * An address older than the retention period, as Postgres keeps it (privacy-repository's
 * truncateOldIps): IPv4 to /24, IPv6 to /48 (an IPv4-mapped address as IPv4). Not an address: null.
 */
export function truncateIp(ip: string): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return `::ffff:${truncateIp(mapped[1])}`;
  const family = isIP(ip);
  if (family === 4) return ip.replace(/\.\d+$/, '.0');
  if (family !== 6) return null;
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 3).map((g) => parseInt(g, 16).toString(16)).join(':')}::`;
}

/**
 * IP retention for the queue: jobs received more than `days` ago (failed jobs kept for replay,
 * mostly) keep only the truncated address, as their rows in Postgres do. Active jobs are left to
 * their worker. Returns how many jobs changed; safe to repeat.
 */
export async function truncateOldJobIps(queue: Queue<ModerationJob>, days: number, now = new Date()): Promise<number> {
  const cutoff = now.getTime() - days * 24 * 3600 * 1000;
  const old: { job: Job<ModerationJob>; ip: string }[] = [];
  await eachJob(
    queue,
    STATES.filter((s) => s !== 'active'),
    (job) => {
      const { ip, receivedAt } = job.data?.request ?? {};
      if (!ip || !receivedAt || !(Date.parse(receivedAt) < cutoff)) return;
      const short = truncateIp(ip);
      if (short !== ip) old.push({ job, ip: short ?? '' });
    },
  );
  let changed = 0;
  for (const { job, ip } of old) {
    const updated = await job.updateData({ ...job.data, request: { ...job.data.request, ip: ip || null } }).then(
      () => true,
      () => false, // gone meanwhile
    );
    if (updated) changed += 1;
  }
  return changed;
}
