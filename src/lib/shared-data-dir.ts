import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/**
 * The shared data folder (../shared/data: training sets, curated spam lists): `SHARED_DATA_DIR`, else
 * `../shared/data` beside the project (as CI and the developers' checkouts have it), else — in a
 * clone of a local checkout, such as a newcomer's trial clone in /tmp — `../shared/data` beside the
 * checkout it was cloned from. Falls back to `../shared/data`, which the loaders name when missing.
 */
export function sharedDataDir(): string {
  if (process.env.SHARED_DATA_DIR) return process.env.SHARED_DATA_DIR;
  const beside = resolve(process.cwd(), '../shared/data');
  if (existsSync(beside)) return beside;
  try {
    const origin = execFileSync('git', ['config', '--get', 'remote.origin.url'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (isAbsolute(origin)) {
      const besideOrigin = resolve(dirname(origin.replace(/\/\.git$/, '')), 'shared/data');
      if (existsSync(besideOrigin)) return besideOrigin;
    }
  } catch {
    // not a git checkout: fall through to the default
  }
  return beside;
}
