import { parseArgs } from 'node:util';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../src/accounts/password';
import { loadConfig, loadDotEnv } from '../src/config';
import { ensureDatabase, runMigrations } from '../src/db/migrate';
import { createModerator, type ModeratorRole } from '../src/db/moderator-repository';
import { createPool } from '../src/db/pool';
import { createLogger } from '../src/logger';

const USAGE = `usage: npm run moderator:create -- --email you@example.org [--role admin|moderator] [--name "Your Name"]
The password is read from MODERATOR_PASSWORD, else asked for (hidden), else read from standard input.`;

/** Reads a password from the terminal without echoing it, or one line from piped input. */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let value = '';
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          return reject(new Error('cancelled'));
        }
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, role: { type: 'string', default: 'moderator' }, name: { type: 'string', default: '' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.email) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const role = values.role as ModeratorRole;
  if (role !== 'admin' && role !== 'moderator') throw new Error('--role must be admin or moderator');
  if (!/^[^\s@]+@[^\s@]+$/.test(values.email)) throw new Error('--email must be an email address');

  loadDotEnv();
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const password = process.env.MODERATOR_PASSWORD ?? (await readPassword(`Password for ${values.email} (at least ${MIN_PASSWORD_LENGTH} characters): `));
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`the password needs at least ${MIN_PASSWORD_LENGTH} characters`);

  if (config.MIGRATE_ON_START) {
    await ensureDatabase(config.DATABASE_URL, log);
    await runMigrations(config.DATABASE_URL, log);
  }
  const pool = createPool(config.DATABASE_URL, 1, log);
  try {
    const moderator = await createModerator(pool, { email: values.email, name: values.name ?? '', role, passwordHash: await hashPassword(password) });
    process.stdout.write(`created ${moderator.role} ${moderator.email} (${moderator.id}); sign in at ${config.PUBLIC_URL}/moderation\n`);
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  process.stderr.write(`moderator:create failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
