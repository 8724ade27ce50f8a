import { parseArgs } from 'node:util';
import { insertPerspectiveKey, listPerspectiveKeys, revokePerspectiveKey } from '../src/db/perspective-key-repository';
import { newPerspectiveKey } from '../src/http/perspective/keys';
import { takeBackPerspectiveLessons } from '../src/http/perspective/setup';
import { openCliDatabase } from './lib/cli-database';

const USAGE = `usage:
  npm run --silent perspective:key [-- --label "Coral on news.example.org"]   a new key, printed on the last line
  npm run perspective:key -- --list                                          every key: id, hint, label, created, revoked
  npm run perspective:key -- --revoke ID-OR-HINT [--take-back-lessons]       stop a key (within seconds everywhere);
                                                                             optionally take back every lesson it taught`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      label: { type: 'string', default: '' },
      list: { type: 'boolean' },
      revoke: { type: 'string' },
      'take-back-lessons': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  if ((values.label ?? '').length > 200) throw new Error('--label: at most 200 characters');
  const { log, pool } = await openCliDatabase(2);
  try {
    if (values.list) {
      for (const k of await listPerspectiveKeys(pool)) {
        process.stdout.write(`${k.id}  ${k.keyHint}…  ${k.createdAt.toISOString()}  ${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active'}  ${k.label}\n`);
      }
      return;
    }
    if (values.revoke !== undefined) {
      const key = await revokePerspectiveKey(pool, values.revoke.replace(/…$/, ''));
      if (!key) throw new Error(`no key has the id or hint ${values.revoke} (npm run perspective:key -- --list)`);
      process.stdout.write(`revoked ${key.id} (${key.keyHint}…)\n`);
      if (values['take-back-lessons']) {
        const n = await takeBackPerspectiveLessons(pool, log, key.id);
        process.stdout.write(`took back ${n} lesson${n === 1 ? '' : 's'} it taught\n`);
      }
      return;
    }
    const fresh = newPerspectiveKey();
    const row = await insertPerspectiveKey(pool, { keyHash: fresh.keyHash, keyHint: fresh.keyHint, label: values.label ?? '' });
    process.stderr.write(`created Perspective API key ${row.id}; it is shown once, only its digest is stored:\n`);
    process.stdout.write(`${fresh.key}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  process.stderr.write(`perspective:key failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
