import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP hop between the server and a service (PostgreSQL, Redis) that a test can cut and restore: an
 * outage or restart without stopping the machine's shared service. It can also black-hole the service:
 * connections stay open and new ones are accepted, but nothing goes through either way, as when a
 * database host hangs or a firewall starts dropping packets.
 */
export class Hop {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private blackHoled = false;
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
      this.track(client);
      if (this.blackHoled) {
        client.resume(); // read and drop: the client's writes succeed, no answer ever comes
        return;
      }
      const upstream = connect(this.target.port, this.target.host);
      this.track(upstream);
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

  /**
   * From now on nothing passes, in either direction, on the open connections or on new ones, which are
   * still accepted: whoever sends waits for an answer that never comes.
   */
  blackHole(): void {
    this.blackHoled = true;
    for (const s of this.sockets) {
      s.unpipe();
      s.removeAllListeners('data');
      s.resume();
    }
  }

  /** Ends the black hole as a restart of the service would: its connections are cut, new ones pass again. */
  restore(): void {
    this.blackHoled = false;
    for (const s of this.sockets) s.destroy();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }
}
