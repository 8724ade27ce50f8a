import { spamModelStore } from '../src/models/model-store';
import { readShippedModel, SHIPPED_MODEL_PATH } from '../src/models/shipped-model';
import { openCliDatabase } from './lib/cli-database';

const USAGE = `usage: npm run model:replace -- --yes
Replaces the spam model stored in DATABASE_URL with the shipped one (${SHIPPED_MODEL_PATH}), dropping what
moderators' spam / not-spam decisions have taught it. Running workers and APIs load it within SETTINGS_REFRESH_MS.
(A stored model nobody has taught is replaced by a newer shipped one at start, without this command.)`;

/** `npm run model:replace -- --yes`: the shipped spam model, on purpose, over a taught one. */
async function main(argv: readonly string[]): Promise<void> {
  if (!argv.includes('--yes')) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(argv.includes('--help') ? 0 : 2);
  }
  const { pool } = await openCliDatabase(1);
  try {
    const before = await spamModelStore.readStamp(pool);
    const stamp = await spamModelStore.replaceWithShipped(pool, readShippedModel());
    process.stdout.write(
      `replaced the stored spam model (generation ${before?.generation ?? 'none'}, version ${before?.version ?? 0}) with the shipped one: generation ${stamp.generation}\n`,
    );
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`model:replace failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
