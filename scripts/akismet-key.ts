import { parseArgs } from 'node:util';
import { listAkismetKeys, revokeAkismetKey } from '../src/db/akismet-repository';
import { createAkismetKey } from '../src/http/akismet/akismet-keys';
import { openCliDatabase } from './lib/cli-database';

const USAGE = `usage: npm run --silent akismet:key -- --blog https://news.example.org   (prints the new key alone on its last line)
       npm run --silent akismet:key -- --list
       npm run --silent akismet:key -- --revoke KEY_ID`;

/** Creates, lists or revokes Akismet-compatible API keys (the admin page does the same). */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { blog: { type: 'string' }, list: { type: 'boolean' }, revoke: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || (!values.blog && !values.list && !values.revoke)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const { config, pool } = await openCliDatabase(1);
  try {
    if (values.list) {
      for (const k of await listAkismetKeys(pool)) process.stdout.write(`${k.id}  ${k.blog}  created ${k.createdAt} by ${k.createdBy}${k.revokedAt ? `  revoked ${k.revokedAt}` : ''}\n`);
    } else if (values.revoke) {
      if (!(await revokeAkismetKey(pool, values.revoke))) throw new Error(`no live key with id ${values.revoke}`);
      process.stdout.write(`revoked ${values.revoke}\n`);
    } else if (values.blog) {
      const { key, record } = await createAkismetKey(pool, values.blog, 'cli');
      process.stdout.write(`Akismet key ${record.id} for ${record.blog} (shown once; point the client at ${config.PUBLIC_URL}/1.1/):\n${key}\n`);
    }
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  const details = (err as { details?: { message: string }[] }).details;
  process.stderr.write(`akismet:key failed: ${details?.map((d) => d.message).join('; ') ?? (err instanceof Error ? err.message : String(err))}\n`);
  process.exit(1);
});
