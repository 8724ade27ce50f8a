import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Debian's nginx (scripts/ensure-nginx.sh installs it); NGINX_PATH overrides. */
export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

/**
 * The reader-listing cache of docs/cdn.md ("nginx"), for `upstream` (host:port) on 127.0.0.1:`port`,
 * everything else passed through uncached. The directives that matter:
 * - the listing is kept as long as the service's `Cache-Control: s-maxage` says (LISTING_CDN_MAX_AGE);
 * - `proxy_cache_use_stale updating` + `proxy_cache_background_update`: once expired, readers keep
 *   getting the kept copy while one request fetches the fresh one (no reader waits for the service);
 * - `proxy_cache_lock`: a missing entry is fetched by one request while the others wait for it;
 * - `proxy_cache_revalidate`: that fetch sends the kept ETag, so an unchanged listing costs a 304;
 * - `proxy_cache_use_stale error timeout http_5xx`: the service down, readers get the kept copy.
 */
export function nginxListingConfig(opts: { port: number; upstream: string; dir: string }): string {
  const d = opts.dir;
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return `# generated for a test/bench: the reader-listing cache of docs/cdn.md
${asRoot ? 'user root;\n' : ''}daemon off;
worker_processes 1;
pid ${d}/nginx.pid;
error_log ${d}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${d}/client_body;
  proxy_temp_path ${d}/proxy_temp;
  fastcgi_temp_path ${d}/fastcgi_temp;
  uwsgi_temp_path ${d}/uwsgi_temp;
  scgi_temp_path ${d}/scgi_temp;

  proxy_cache_path ${d}/cache levels=1:2 keys_zone=listings:10m max_size=256m inactive=10m use_temp_path=off;
  upstream comments_service {
    server ${opts.upstream};
    keepalive 16;
  }

  server {
    listen 127.0.0.1:${opts.port};

    location ~ ^/api/articles/[^/]+/comments$ {
      proxy_pass http://comments_service;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;

      proxy_cache listings;
      proxy_cache_key $scheme$host$request_uri;
      proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;
      proxy_cache_background_update on;
      proxy_cache_lock on;
      proxy_cache_lock_timeout 5s;
      proxy_cache_revalidate on;
      add_header X-Cache-Status $upstream_cache_status always;
    }

    location / {
      proxy_pass http://comments_service;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
}

export interface RunningNginx {
  port: number;
  url: string;
  /** nginx's error log so far. */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground (a child of this process, never the system's service) with the
 * listing cache in front of `upstream`, in a temporary folder of its own; resolves once it accepts
 * connections on `port`.
 */
export async function startNginx(opts: { port: number; upstream: string; timeoutMs?: number }): Promise<RunningNginx> {
  if (!existsSync(NGINX)) throw new Error(`nginx not found at ${NGINX}: run scripts/ensure-nginx.sh (Debian's nginx-light), or set NGINX_PATH`);
  const dir = mkdtempSync(path.join(tmpdir(), 'cm-nginx-'));
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, nginxListingConfig({ port: opts.port, upstream: opts.upstream, dir }));
  let out = '';
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errors = () => {
    try {
      return out + readFileSync(path.join(dir, 'error.log'), 'utf8');
    } catch {
      return out;
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM'); // nginx: fast shutdown of master and workers
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 15000);
  while (!(await accepts(opts.port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const why = errors();
      await stop();
      throw new Error(`nginx did not start:\n${why.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port: opts.port, url: `http://127.0.0.1:${opts.port}`, errors, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
