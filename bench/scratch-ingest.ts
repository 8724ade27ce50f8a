import path from 'node:path';
import { createBenchDatabase } from './lib/bench-db';
import { load } from './lib/load';
import { submission } from './lib/comments';
import { cpuMs, answers200, freePort, ROOT, START_SCRIPT, startService } from './lib/services';
import { obliterate } from './lib/queue-keys';

async function main() {
  const db = await createBenchDatabase();
  if (process.env.NOFLOOD) { const { Client } = require('pg'); const c = new Client({ connectionString: db.url }); await c.connect(); await c.query(`INSERT INTO settings (key, value) VALUES ('floodSeconds','0'),('hourlyLimitPerIp','0')`); await c.end(); }
  const prefix = `bench-${Date.now()}`;
  const env = { PATH: process.env.PATH ?? '', NODE_ENV: 'production', FORM_TOKEN_SECRET: 'bench-form-token-secret-0123456789', DATABASE_URL: db.url, QUEUE_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1', MIGRATE_ON_START: 'false', LOG_LEVEL: process.env.LL ?? 'info', ABL: process.env.ABL ?? '' };
  const which = process.argv[2] ?? 'both';
  const prof = [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/bench/prof'] : []), '-r', '/work/main/.scratch/preload.js'];
  try {
    if (which !== 'api') {
      const port = await freePort();
      const base = await startService('baseline', path.join(ROOT, 'dist/bench/baseline-server.js'), [], { ...env, PORT: String(port) }, '/tmp/bench/baseline.log', answers200(`http://127.0.0.1:${port}/healthz`));
      const url = `http://127.0.0.1:${port}/api/comments`;
      await load({ url, seconds: 2, method: 'POST', body: () => submission('warm'), expect: 202 });
      const c0 = [cpuMs(base.child.pid), process.cpuUsage()];
      const r = await load({ url, seconds: Number(process.env.SECS ?? 10), method: 'POST', body: () => submission('b'), expect: 202 });
      const lg = process.cpuUsage(c0[1] as NodeJS.CpuUsage);
      console.log('us/req base', ((cpuMs(base.child.pid) - (c0[0] as number)) * 1000 / r.ok).toFixed(1), 'loadgen', ((lg.user + lg.system) / r.ok).toFixed(1));
      console.log('baseline', r);
      await base.stop();
    }
    if (which !== 'base') {
      const port = await freePort();
      const api = await startService('api', START_SCRIPT, prof, { ...env, ROLE: 'api', PORT: String(port) }, '/tmp/bench/api.log', answers200(`http://127.0.0.1:${port}/healthz`));
      const url = `http://127.0.0.1:${port}/api/comments`;
      await load({ url, seconds: 2, method: 'POST', body: () => submission('warm'), expect: 202 });
      const rpid = Number(require('child_process').execSync('pgrep -x redis-server').toString().trim().split('\n')[0]);
      const c0 = [cpuMs(api.child.pid), cpuMs(rpid), process.cpuUsage()];
      const r = await load({ url, seconds: Number(process.env.SECS ?? 10), method: 'POST', body: () => submission('a'), expect: 202 });
      const lg = process.cpuUsage(c0[2] as NodeJS.CpuUsage);
      const n = r.ok;
      console.log('us/req api', ((cpuMs(api.child.pid) - (c0[0] as number)) * 1000 / n).toFixed(1), 'redis', ((cpuMs(rpid) - (c0[1] as number)) * 1000 / n).toFixed(1), 'loadgen', ((lg.user + lg.system) / n).toFixed(1));
      console.log('api', r, 'rss', api.peakRssMb());
      await api.stop();
    }
  } finally {
    await obliterate(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
    await db.drop();
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
