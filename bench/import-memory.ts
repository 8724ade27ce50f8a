import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBenchDatabase } from './lib/bench-db';
import { writeDisqus, writeWxr } from './lib/generate-export';

/**
 * `npm run bench:import`: peak memory (max RSS) of `npm run import` on generated WordPress and Disqus exports of
 * growing size, each into a fresh database, so flat memory shows as a flat column. Sizes in comments:
 * IMPORT_BENCH_SIZES (default 2000,20000,200000 ≈ 3, 33 and 330 MB). Run as `npm run import` runs it (a
 * 96 MB heap cap, so the collector works as it would in production rather than letting the heap drift up). The files go to a temp folder
 * and are removed.
 */
async function main(): Promise<void> {
  const sizes = (process.env.IMPORT_BENCH_SIZES ?? '2000,20000,200000').split(',').map(Number);
  const formats = (process.env.IMPORT_BENCH_FORMATS ?? 'wordpress,disqus').split(',') as ('wordpress' | 'disqus')[];
  const dir = mkdtempSync(path.join(tmpdir(), 'import-bench-'));
  const rows: string[] = ['| format | comments | file MB | seconds | comments/s | peak RSS MB |', '|---|---:|---:|---:|---:|---:|'];
  try {
    for (const format of formats) for (const n of sizes) {
      const file = path.join(dir, `${format}-${n}.xml`);
      // Disqus: every thread after all its posts, the worst case for a streaming import.
      const bytes = format === 'wordpress' ? await writeWxr(file, { comments: n, bodyChars: 900 }) : await writeDisqus(file, { posts: n, bodyChars: 900, threadsLast: true });
      const db = await createBenchDatabase();
      try {
        const started = Date.now();
        const run = spawnSync(process.execPath, ['--max-old-space-size=96', path.join(__dirname, '../scripts/import.js'), format, file, '--no-teach', '--json'], {
          env: { ...process.env, DATABASE_URL: db.url, MIGRATE_ON_START: 'false', LOG_LEVEL: 'warn' },
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        const seconds = (Date.now() - started) / 1000;
        if (run.status !== 0) throw new Error(`import of ${n} comments failed: ${run.stderr}`);
        const summary = JSON.parse(run.stdout.trim().split('\n').pop()!);
        if (summary.imported !== n) throw new Error(`imported ${summary.imported} of ${n}`);
        if (summary.withoutArticle !== 0) throw new Error(`${summary.withoutArticle} comments left without their article`);
        rows.push(`| ${format} | ${n} | ${(bytes / 1e6).toFixed(1)} | ${seconds.toFixed(1)} | ${Math.round(n / seconds)} | ${summary.peakRssMb} |`);
        process.stderr.write(`${rows[rows.length - 1]}\n`);
      } finally {
        await db.drop();
        rmSync(file, { force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
