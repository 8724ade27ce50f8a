import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Summarises V8 .cpuprofile files (BENCH_CPU_PROF=<folder> npm run bench): self time by function and
 * by package or source file, as shares of the profile's busy time, plus total time (self and
 * callees) of chosen functions. Usage after `npm run build`:
 *
 *   node dist/bench/profile-summary.js <file.cpuprofile> [top=40] [--total=name1,name2] [--callers=name]
 *
 * --callers=name lists the call paths (six frames up) that the named function's self time came from.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top] [--total=fn,fn]');
  const top = Number(args.find((a) => /^\d+$/.test(a)) ?? 40);
  const totals = (args.find((a) => a.startsWith('--total='))?.slice(8).split(',') ?? []).filter(Boolean);
  const callersOf = (args.find((a) => a.startsWith('--callers='))?.slice(10).split(',') ?? []).filter(Boolean);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

  // Time per node: each sample's delta goes to the node it hit.
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const idle = new Set(['(idle)', '(program)']);
  let busy = 0;
  for (const [id, us] of selfUs) if (!idle.has(byId.get(id)!.callFrame.functionName)) busy += us;

  const fn = new Map<string, number>();
  const where = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (idle.has(functionName)) continue;
    const key = `${functionName || '(anonymous)'}  ${shortUrl(url)}:${lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    where.set(bucket(url, functionName), (where.get(bucket(url, functionName)) ?? 0) + us);
  }

  const wall = profile.endTime - profile.startTime;
  const out: string[] = [`${path.basename(file)}: ${(wall / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(2)} s busy (${((100 * busy) / wall).toFixed(0)}%)`, ''];
  const table = (title: string, m: Map<string, number>, n: number) => {
    out.push(title);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) out.push(`${((100 * us) / busy).toFixed(1).padStart(6)}%  ${(us / 1e3).toFixed(0).padStart(7)} ms  ${k}`);
    out.push('');
  };
  table('self time by package / file', where, 25);
  table('self time by function', fn, top);

  if (totals.length) {
    // Total (inclusive) time: a node's self time plus its subtree's, counted once per name on a path.
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const inclusive = new Map<string, number>(totals.map((t) => [t, 0]));
    for (const [id, us] of selfUs) {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)!.callFrame;
        // `name` or `name@file.js` (for the many functions called `run`).
        const withFile = `${frame.functionName}@${path.basename(frame.url)}`;
        const name = inclusive.has(withFile) ? withFile : frame.functionName;
        if (inclusive.has(name) && !seen.has(name)) {
          seen.add(name);
          inclusive.set(name, inclusive.get(name)! + us);
        }
      }
    }
    table('total time (self + callees) of', inclusive, totals.length);
  }
  for (const name of callersOf) {
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const paths = new Map<string, number>();
    for (const [id, us] of selfUs) {
      if (byId.get(id)!.callFrame.functionName !== name) continue;
      const frames: string[] = [];
      for (let at = parent.get(id); at !== undefined && frames.length < Number(process.env.PROFILE_DEPTH ?? 6); at = parent.get(at)) {
        const f = byId.get(at)!.callFrame;
        frames.push(`${f.functionName || '(anon)'}@${path.basename(f.url)}:${f.lineNumber + 1}`);
      }
      const key = frames.join(' < ');
      paths.set(key, (paths.get(key) ?? 0) + us);
    }
    table(`callers of ${name}`, paths, 12);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 13);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 6);
  return url.replace(/^file:\/\//, '') || '(native)';
}

/** node_modules package, our source file, node internals, or the V8 bucket ((garbage collector) …). */
function bucket(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / builtins)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return `pkg ${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (url.startsWith('node:')) return url.split('/')[0] === 'node:internal' ? `node ${url.split('/').slice(0, 3).join('/')}` : url;
  return shortUrl(url);
}

main();
