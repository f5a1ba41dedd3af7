// A loopback TCP proxy in front of the API server, to break the watch's connection the ways a real
// network does: reset every connection, refuse new ones for a while (API server restart), or
// freeze the open ones without closing them (a NAT or load balancer silently dropping a
// long-lived stream: no FIN, no RST, no data).
import { createServer, connect, type Server, type Socket } from 'node:net';

export class TcpProxy {
  readonly #target: { host: string; port: number };
  #server: Server | undefined;
  #port = 0;
  readonly #pairs = new Set<[Socket, Socket]>();
  readonly #frozen: Socket[] = [];

  constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  get url(): string {
    return `https://127.0.0.1:${this.#port}`;
  }

  /** Starts accepting; after `refuse()`, listens again on the same port. */
  async listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.#target);
      const pair: [Socket, Socket] = [client, upstream];
      this.#pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const close = () => {
        this.#pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.#port = address.port;
    this.#server = server;
  }

  /** Resets every open connection (the client sees the stream end abruptly). */
  resetConnections(): void {
    for (const [client, upstream] of this.#pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.#pairs.clear();
  }

  /** Stops listening and resets everything: new connections are refused until listen(). */
  async refuse(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.resetConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Open connections stop carrying data but stay open; new connections work normally. */
  freezeOpenConnections(): number {
    for (const [client, upstream] of this.#pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
      this.#frozen.push(client, upstream);
    }
    const frozen = this.#pairs.size;
    this.#pairs.clear();
    return frozen;
  }

  get openConnections(): number {
    return this.#pairs.size;
  }

  async close(): Promise<void> {
    await this.refuse();
    for (const socket of this.#frozen.splice(0)) socket.destroy();
  }
}
