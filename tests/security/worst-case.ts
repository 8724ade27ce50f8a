import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { LIMITS } from '../../src/moderation/comment-schema';

/** The longest body the API accepts: every worst case is this long. */
export const MAX_BODY: number = LIMITS.body;

/** `unit` repeated to exactly `length` characters. */
export const repeated = (unit: string, length: number = MAX_BODY) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/**
 * Bodies that made a pattern on comment text retry from every start (quadratic or worse), as
 * `(length) => body`: `<a href=` repeated (cubic in link-scan), a URL followed by dots (render-text,
 * embed.js), unclosed comments and tags (stripHtml), dotted runs and spaced words (url-features),
 * blank lines before "like if you" (engagement bait), an address-like run without a host.
 */
export const WORST_CASES: Record<string, (length: number) => string> = {
  'a-href': (n) => repeated('<a href=', n),
  'a-open': (n) => repeated('<a ', n),
  'bbcode-open': (n) => repeated('[url]', n),
  'bbcode-option': (n) => repeated('[url=', n),
  'url-then-dots': (n) => `http://x${'.'.repeat(n - 9)}a`,
  'url-dots-paren': (n) => `https://x${repeated('.)', n - 10)}a`,
  'www-dotted': (n) => `www.${repeated('a.', n - 4)}`,
  'html-comments': (n) => repeated('<!--', n),
  'html-tags': (n) => repeated('<a', n),
  'dotted-labels': (n) => `${repeated('a.', n - 6)} x.com`,
  'long-labels': (n) => `${repeated(`${'a'.repeat(62)}.`, n - 6)} x.com`,
  'hyphen-words': (n) => `${repeated('a-', n - 4)} com`,
  'spaced-name': (n) => `ab${' '.repeat(n - 8)}x com`,
  'colons-and-links': (n) => `${repeated(':http://x', n - 2)} y`,
  'blank-lines-before-like': (n) => `like ${'\n'.repeat(n - 6)}x`,
  'address-without-host': (n) => `${repeated('a.', n - 1)}@`,
  'email-dots': (n) => `a@${repeated('.', n - 3)}@`,
};

/**
 * CPU time (user + system) `fn` takes, in ms: what the code costs, not how long the machine made it
 * wait. A wall clock on a busy 2-core machine (other test workers, other sessions) measured a 1 ms
 * linear scan at 100 ms and more; CPU time counts only while this process runs.
 */
export function cpuMs(fn: () => unknown): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

/**
 * The cheapest of five runs of `fn` (CPU time, see cpuMs) on a fresh copy of the worst case at each
 * size up to the longest: a super-linear pattern shows at 16 KB already, so the old code fails in
 * seconds instead of running for minutes. `fn` gets a different body each run (a leading marker), so
 * no memo answers.
 */
export function slowestBest(fn: (body: string) => unknown, make: (length: number) => string, sizes = [4096, 16384, MAX_BODY]): { size: number; ms: number } {
  let worst = { size: 0, ms: 0 };
  for (const size of sizes) {
    let best = Infinity;
    for (let run = 0; run < 5; run++) {
      const body = `${run} ${make(size - 2)}`; // a marker in front: one at the end could spoil the worst case ("x.com0")
      best = Math.min(best, cpuMs(() => fn(body)));
    }
    worst = best > worst.ms ? { size, ms: best } : worst;
    if (best > 200) break; // already over any bound: the larger sizes would take minutes
  }
  return worst;
}

/** A DOM just big enough for embed.js's renderBody (fragments, elements, text nodes). */
class FakeNode {
  children: FakeNode[] = [];
  attributes: Record<string, string> = {};
  className = '';
  href = '';
  constructor(
    readonly tag: string,
    public textContent = '',
  ) {}
  appendChild(child: FakeNode) {
    this.children.push(child);
    return child;
  }
  setAttribute(name: string, value: string) {
    this.attributes[name] = value;
  }
  /** The rendered text, links marked as [text](href). */
  text(): string {
    if (this.tag === 'a') return `[${this.textContent}](${this.href})`;
    if (this.tag === 'br') return '\n';
    return this.textContent + this.children.map((c) => c.text()).join('') + (this.tag === 'p' ? '\n\n' : '');
  }
}

/**
 * embed.js's own renderBody, and its form check's verdict on an e-mail address, from the file
 * browsers load, run in a Node vm with a fake document. The widget mounts nothing (no container on
 * the fake page); one line appended inside its closure hands renderBody and Thread out.
 */
export function loadEmbed(): { renderBody: (body: string) => FakeNode; looksLikeEmail: (v: string) => boolean } {
  const source = readFileSync(path.resolve(__dirname, '../../public/widget/embed.js'), 'utf8');
  const end = source.lastIndexOf('})();');
  if (end < 0) throw new Error('embed.js is no longer one closure: update loadEmbed');
  const exposed = `${source.slice(0, end)}globalThis.__embed = { renderBody: renderBody, Thread: Thread };\n${source.slice(end)}`;
  const document = {
    currentScript: null,
    readyState: 'complete',
    documentElement: { lang: 'en' },
    querySelector: () => null,
    querySelectorAll: () => [],
    addEventListener: () => undefined,
    createDocumentFragment: () => new FakeNode('#fragment'),
    createElement: (tag: string) => new FakeNode(tag),
    createTextNode: (text: string) => new FakeNode('#text', text),
  };
  const context = vm.createContext({ document, location: { href: 'https://news.example/', origin: 'https://news.example', hash: '' }, URL, window: {} });
  vm.runInContext(exposed, context, { filename: 'embed.js' });
  const { renderBody, Thread } = context.__embed;
  const field = (value: string) => ({ value, focus: () => undefined });
  /** Whether the form would be sent with this address (name and comment filled in). */
  const looksLikeEmail = (email: string): boolean =>
    Thread.prototype.validate.call({ fields: { comment: field('Hello'), author: field('Ada'), email: field(email), url: field('') }, fieldError: () => undefined });
  return { renderBody, looksLikeEmail };
}
