import net, { type AddressInfo } from 'node:net';

/** A TCP proxy a fault test puts between a process and a server, to cut the line without touching the server. */
export interface TcpProxy {
  port: number;
  /** Connections made through the proxy since it started (each one a new client connection). */
  connections(): number;
  /** The server "goes away": open connections are dropped and new ones refused (ECONNREFUSED). */
  cut(): Promise<void>;
  /** The server is back: the proxy listens on the same port again. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a proxy on a free loopback port that forwards to `target`. Only loopback addresses: fault
 * tests never send traffic anywhere else.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted += 1;
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const s of open) s.destroy();
      open.clear();
    });

  return {
    port,
    connections: () => accepted,
    cut: stop,
    restore: () => (server.listening ? Promise.resolve() : listen(port)),
    close: stop,
  };
}
