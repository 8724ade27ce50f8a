import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { loadConfig, loadDotEnv } from '../src/config';
import { createPool } from '../src/db/pool';
import { exportComments } from '../src/import-export/export-comments';
import { createLogger } from '../src/logger';

const USAGE = `usage: npm run export -- wordpress|json FILE
  wordpress  a WXR 1.2 file for WordPress's importer (Tools > Import > WordPress)
  json       one JSON document: every comment with its article, origin, author, email, IP, date and status
The file holds personal data (emails, IPs). Details: docs/import-export.md`;

async function main(): Promise<void> {
  const [format, file, ...rest] = process.argv.slice(2);
  if (format === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if ((format !== 'wordpress' && format !== 'json') || !file || rest.length) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  loadDotEnv();
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const pool = createPool(config.DATABASE_URL, 2, log);
  // Written beside the target and renamed at the end: a failed export never leaves half a file.
  const partial = `${file}.partial`;
  try {
    const out = createWriteStream(partial, { mode: 0o600 });
    const summary = await exportComments(pool, format, out, { siteUrl: config.PUBLIC_URL });
    out.end();
    await finished(out);
    renameSync(partial, file);
    process.stdout.write(`exported ${summary.comments} comments on ${summary.articles} articles to ${file} (${format})\n`);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  process.stderr.write(`export failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
