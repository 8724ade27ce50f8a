import { performance } from 'node:perf_hooks';
import { STATELESS_CHECKS } from '../src/moderation/checks';
import { signFormToken } from '../src/moderation/form-token';
import { decide, runChecks } from '../src/moderation/pipeline';
import { DEFAULT_SETTINGS } from '../src/moderation/settings';
import type { CheckContext, ModerationSettings, WordListEntry } from '../src/moderation/types';
import { formatTable } from '../scripts/lib/table';

/**
 * `npm run bench:rules`: comments per second through the rule checks that need no stored history
 * (no model loaded: see bench:classifier for the model), with the default settings and with large
 * word lists (2,000 disallowed and 500 moderation entries of every kind). The bodies mix plain
 * text, links, HTML, look-alike letters and full-width text, 5 to 120 words.
 */
const RUN_MS = 2000;
const TARGET_PER_SECOND = 10_000;
const SECRET = 'bench-form-token-secret-0123456789';

const WORDS = 'budget council schools housing transport library rates parks hospital election river market bridge museum harbour cyclists teachers nurses'.split(' ');
const words = (n: number, seed: number) => Array.from({ length: n }, (_, i) => WORDS[(seed * 7 + i * 13) % WORDS.length]).join(' ');
const BODIES = [
  (i: number) => `I think ${words(30, i)}. The report is at https://news.example/a and says more.`,
  (i: number) => `Ｆｕｌｌ ｗｉｄｔｈ and cіalis ${words(40, i)} <a href="http://x.example">x</a>`,
  (i: number) => words(120, i),
  (i: number) => `Short one ${words(5, i)}!!!`,
];

function wordLists(): Pick<ModerationSettings, 'disallowedKeys' | 'moderationKeys'> {
  const kinds: WordListEntry['kind'][] = ['word', 'word', 'word', 'substring'];
  const disallowedKeys: WordListEntry[] = Array.from({ length: 2000 }, (_, i) => ({ pattern: `spamword${i}`, kind: kinds[i % kinds.length] }));
  disallowedKeys.push({ pattern: 'buy now', kind: 'word' }, { pattern: 'c[i1]alis', kind: 'regex' }, { pattern: '203.0.113.', kind: 'word' });
  return { disallowedKeys, moderationKeys: disallowedKeys.slice(0, 500) };
}

function context(i: number, settings: ModerationSettings, token: string): CheckContext {
  return {
    comment: {
      id: `00000000-0000-4000-8000-${String(i % 1e12).padStart(12, '0')}`,
      articleId: 'bench-article',
      parentId: null,
      authorName: `Reader ${i}`,
      authorEmail: `reader${i}@example.org`,
      authorUrl: i % 5 === 0 ? 'https://blog.example/' : null,
      body: BODIES[i % BODIES.length](i),
      honeypot: '',
      formToken: token,
    },
    request: { ip: `198.51.100.${i % 250}`, userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', referrer: null, receivedAt: new Date().toISOString() },
    settings,
    now: new Date(),
    formTokenSecret: SECRET,
  };
}

async function throughput(settings: ModerationSettings): Promise<number> {
  const token = signFormToken(SECRET, 'bench-article', new Date(Date.now() - 30_000));
  const step = async (i: number) => decide(await runChecks(STATELESS_CHECKS, context(i, settings, token)), settings);
  for (let i = 0; i < 2000; i += 1) await step(i);
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < RUN_MS) {
    for (let j = 0; j < 500; j += 1) await step(calls + j);
    calls += 500;
  }
  return calls / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const [name, settings] of [
    ['default settings', { ...DEFAULT_SETTINGS }],
    ['2,500 word-list entries', { ...DEFAULT_SETTINGS, ...wordLists() }],
  ] as const) {
    const perSecond = await throughput(settings);
    rows.push([name, Math.round(perSecond), perSecond >= TARGET_PER_SECOND ? 'ok' : `below ${TARGET_PER_SECOND}`]);
  }
  process.stdout.write(formatTable(['rule checks, no model', 'comments/s', 'target'], rows));
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
