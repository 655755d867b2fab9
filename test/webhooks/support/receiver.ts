import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** Parsed body. */
  json: { type: string; timestamp: string; data: { eventId: string; position: number; type: string } };
}

/** How the receiver answers the n-th request (0-based); default 204. */
export type Behaviour = (request: Received, n: number, res: ServerResponse) => void | 'hang';

/** A webhook receiver on loopback that records every request it gets. */
export class Receiver {
  readonly requests: Received[] = [];
  private server: Server;
  /** Requests it is holding open without answering. */
  readonly hanging = new Set<ServerResponse>();

  private constructor(
    private behaviour: Behaviour,
    readonly port: number,
    server: Server,
  ) {
    this.server = server;
  }

  static async start(behaviour: Behaviour = (_r, _n, res) => void res.writeHead(204).end(), port = 0): Promise<Receiver> {
    let self: Receiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: Received['json'];
        try {
          json = JSON.parse(body);
        } catch {
          json = { type: '', timestamp: '', data: { eventId: '', position: -1, type: '' } };
        }
        const received = { headers: req.headers, body, json };
        const n = self!.requests.length;
        self!.requests.push(received);
        if (self!.behaviour(received, n, res) === 'hang') {
          self!.hanging.add(res);
          res.on('close', () => self!.hanging.delete(res));
        }
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    self = new Receiver(behaviour, (server.address() as AddressInfo).port, server);
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Event ids received with a 2xx answer or not: everything that arrived. */
  eventIds(): string[] {
    return this.requests.map((r) => r.json.data.eventId);
  }

  setBehaviour(behaviour: Behaviour): void {
    this.behaviour = behaviour;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A free loopback port (nobody listening right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
