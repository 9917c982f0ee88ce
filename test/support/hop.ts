import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP hop between the server and a service (PostgreSQL, Redis) that a test can cut and restore: an
 * outage or restart without stopping the machine's shared service.
 */
export class Hop {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** A hop in front of the service a URL names, and the same URL pointed through the hop. */
  static async before(serviceUrl: string, defaultPort: number): Promise<{ hop: Hop; url: string }> {
    const real = new URL(serviceUrl);
    const hop = new Hop({ host: real.hostname, port: Number(real.port || defaultPort) });
    await hop.up();
    const proxied = new URL(serviceUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(hop.port);
    return { hop, url: proxied.toString() };
  }

  /** Opens the hop (again, on the same port). */
  async up(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as { port: number }).port;
  }

  /** Cuts every connection through the hop and refuses new ones. */
  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
