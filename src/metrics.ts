import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CommentStatus } from './moderation/types';

/** Queue counts read on scrape (the producer's queue, or a fake in tests). */
export type QueueCounts = () => Promise<Record<string, number>>;

/**
 * A process's Prometheus metrics, in a registry of its own (tests run many apps in one process).
 * Counters and histograms are updated where things happen; queue sizes and the oldest pending
 * comment's age are read from Redis and Postgres only when Prometheus scrapes.
 */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  commentsReceived: Counter;
  commentsDecided: Counter<'status'>;
  jobDuration: Histogram;
  checkDuration: Histogram<'check'>;
  moderatorDecisions: Counter<'from' | 'to'>;
  moderatorReversals: Counter<'kind'>;
  /** Adds the scrape-time gauges (API role): queue counts and the oldest comment awaiting review. */
  watchQueue(counts: QueueCounts, oldestPendingSeconds: () => Promise<number | null>): void;
}

/** Queue states reported by `comment_queue_jobs`. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Latency buckets (seconds) around the API's targets: p99 within 25 ms, end to end within 100 ms. */
const HTTP_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const JOB_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];
const CHECK_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.05, 0.25];

export function createMetrics(labels: { role: string }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: Metrics = {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route pattern and status, from arrival to the last byte sent.',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    }),
    commentsReceived: new Counter({ name: 'comments_received_total', help: 'Comments accepted for moderation (202 or 303; idempotent replays not counted).', registers }),
    commentsDecided: new Counter({ name: 'comments_decided_total', help: 'Comments the workers decided and stored, by status.', labelNames: ['status'], registers }),
    jobDuration: new Histogram({ name: 'moderation_job_duration_seconds', help: 'One job: checks, decision and store (batch commit included).', buckets: JOB_BUCKETS, registers }),
    checkDuration: new Histogram({
      name: 'moderation_check_duration_seconds',
      help: 'Time each check took, timed on 1 job in CHECK_SAMPLE_EVERY (10).',
      labelNames: ['check'],
      buckets: CHECK_BUCKETS,
      registers,
    }),
    moderatorDecisions: new Counter({ name: 'moderator_decisions_total', help: "Moderators' changes of a comment's status, by from and to.", labelNames: ['from', 'to'], registers }),
    moderatorReversals: new Counter({
      name: 'moderator_reversals_total',
      help: 'Moderators undoing a spam call: false_positive = spam to approved (not spam), false_negative = approved to spam.',
      labelNames: ['kind'],
      registers,
    }),
    watchQueue(counts, oldestPendingSeconds) {
      new Gauge({
        name: 'comment_queue_jobs',
        help: 'Jobs in the moderation queue by state (read from Redis on scrape).',
        labelNames: ['state'],
        registers,
        async collect() {
          const c = await counts();
          for (const state of QUEUE_STATES) this.set({ state }, c[state] ?? 0);
        },
      });
      new Gauge({
        name: 'review_oldest_pending_age_seconds',
        help: 'Age of the oldest comment awaiting a moderator (0 when none; read from Postgres on scrape).',
        registers,
        async collect() {
          this.set((await oldestPendingSeconds()) ?? 0);
        },
      });
    },
  };
  for (const kind of ['false_positive', 'false_negative']) metrics.moderatorReversals.inc({ kind }, 0);
  return metrics;
}

/** Jobs whose checks are timed one by one: 1 in this many (timing every check of every comment costs the hot loop). */
export const CHECK_SAMPLE_EVERY = 10;

/** Counts moderators' status changes and the reversals of spam calls among them. */
export function recordModeratorChanges(metrics: Metrics, changes: readonly { from: CommentStatus; to: CommentStatus | 'deleted' }[]): void {
  for (const c of changes) {
    metrics.moderatorDecisions.inc({ from: c.from, to: c.to });
    if (c.from === 'spam' && c.to === 'approved') metrics.moderatorReversals.inc({ kind: 'false_positive' });
    if (c.from === 'approved' && c.to === 'spam') metrics.moderatorReversals.inc({ kind: 'false_negative' });
  }
}
