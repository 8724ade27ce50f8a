import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One redis-server of a local cluster. */
export interface ClusterProcess {
  port: number;
  dir: string;
  child: ChildProcess | null;
}

/** A Redis Cluster of a test's own: three masters with a replica each, on spare loopback ports. */
export interface OwnRedisCluster {
  nodes: ClusterProcess[];
  /** `host:port,…` for REDIS_CLUSTER_NODES. */
  seeds: string;
  /** `redis-cli` against one node. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** The port of the master serving `key`'s slot now. */
  masterOf(key: string): Promise<number>;
  /** SIGKILL one node (a crash). */
  kill(port: number): Promise<void>;
  /** Starts a killed node again on its port and folder (its nodes.conf: it rejoins, as a replica once failed over). */
  restart(port: number): Promise<void>;
  /** Waits until every live node reports cluster_state:ok and `key`'s slot is served by a master other than `not`. */
  waitForOwner(key: string, not: number, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port p with p and its cluster bus port (p + 10000) both free. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 25000);
    if (taken.has(port) || taken.has(port + 10000) || taken.has(port - 10000)) continue;
    if ((await isFree(port)) && (await isFree(port + 10000))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port pair for a cluster node');
}

async function answersPing(port: number): Promise<boolean> {
  try {
    return (await run('redis-cli', ['-p', String(port), 'ping'], { timeout: 2000 })).stdout.trim() === 'PONG';
  } catch {
    return false;
  }
}

/**
 * Starts six `redis-server --cluster-enabled yes` (durable: AOF fsynced on every write) in temporary
 * folders (plus `args`), joins them with `redis-cli --cluster create … --cluster-replicas 1`, and waits for
 * cluster_state:ok. `nodeTimeoutMs` is how long a silent master takes to be declared failed.
 */
export async function startRedisCluster(opts: { nodeTimeoutMs?: number; timeoutMs?: number; args?: string[] } = {}): Promise<OwnRedisCluster> {
  const taken = new Set<number>();
  const nodes: ClusterProcess[] = [];
  for (let i = 0; i < 6; i++) nodes.push({ port: await clusterPort(taken), dir: mkdtempSync(path.join(tmpdir(), 'cm-cluster-')), child: null });
  const cli = async (port: number, ...args: string[]) => (await run('redis-cli', ['-p', String(port), ...args], { timeout: 10000 })).stdout;
  const close = async () => {
    await Promise.all(nodes.map((n) => stop(n)));
    for (const n of nodes) rmSync(n.dir, { recursive: true, force: true });
  };
  const stop = async (n: ClusterProcess) => {
    const child = n.child;
    n.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  };
  const launch = (n: ClusterProcess) => {
    n.child = spawn(
      'redis-server',
      ['--port', String(n.port), '--bind', '127.0.0.1', '--dir', n.dir, '--daemonize', 'no', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf',
        '--cluster-node-timeout', String(opts.nodeTimeoutMs ?? 1000), '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--logfile', path.join(n.dir, 'redis.log'), ...(opts.args ?? [])],
      { stdio: 'ignore' },
    );
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 30000);
  try {
    for (const n of nodes) launch(n);
    for (const n of nodes) {
      while (!(await answersPing(n.port))) {
        if (Date.now() > deadline || n.child?.exitCode !== null) throw new Error(`cluster node on ${n.port} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes'], { timeout: 30000 });
    const ready = async () => {
      for (const n of nodes) if (!/cluster_state:ok/.test(await cli(n.port, 'cluster', 'info'))) return false;
      // Every node knows every other (the gossip has settled), so clients see the whole map.
      for (const n of nodes) if ((await cli(n.port, 'cluster', 'nodes')).trim().split('\n').length < 6) return false;
      // Every master has its replica connected and in sync, so a master started with
      // min-replicas-to-write 1 takes writes (before that it answers NOREPLICAS and a service's start-up check fails).
      for (const n of nodes) {
        const info = await cli(n.port, 'info', 'replication');
        if (/role:master/.test(info) && !/slave\d+:[^\n]*state=online/.test(info)) return false;
      }
      return true;
    };
    while (!(await ready())) {
      if (Date.now() > deadline) throw new Error('cluster did not reach cluster_state:ok');
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await close();
    throw err;
  }

  const masterOf = async (key: string, live = nodes.filter((n) => n.child)) => {
    const slot = Number((await cli(live[0].port, 'cluster', 'keyslot', key)).trim());
    for (const n of live) {
      const lines = (await cli(n.port, 'cluster', 'nodes')).trim().split('\n');
      for (const line of lines) {
        const f = line.split(' ');
        if (!f[2].includes('master') || f[2].includes('fail')) continue;
        for (const range of f.slice(8)) {
          const [a, b] = range.split('-').map(Number);
          if (slot >= a && slot <= (b ?? a)) return Number(f[1].split('@')[0].split(':')[1]);
        }
      }
    }
    throw new Error(`no master serves slot ${slot}`);
  };

  return {
    nodes,
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    cli,
    masterOf: (key) => masterOf(key),
    async kill(port) {
      const n = nodes.find((x) => x.port === port);
      if (n) await stop(n);
    },
    async restart(port) {
      const n = nodes.find((x) => x.port === port);
      if (!n || n.child) return;
      launch(n);
      const until = Date.now() + 15000;
      while (!(await answersPing(port))) {
        if (Date.now() > until) throw new Error(`cluster node on ${port} did not restart`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async waitForOwner(key, not, timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const live = nodes.filter((n) => n.child);
        try {
          const ok = (await Promise.all(live.map(async (n) => /cluster_state:ok/.test(await cli(n.port, 'cluster', 'info'))))).every(Boolean);
          const owner = await masterOf(key, live);
          if (ok && owner !== not && live.some((n) => n.port === owner)) return owner;
        } catch {
          // a node mid-failover may not answer; ask again
        }
        if (Date.now() > until) throw new Error(`no failover of ${key}'s slot within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close,
  };
}
