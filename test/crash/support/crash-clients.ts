import { randomUUID } from 'node:crypto';

export const CRASH_TOKEN = 'crash-0123456789abcdef0123';
export const CRASH_KEYS = `crash-writer:recorder+analyst+auditor+admin:${CRASH_TOKEN}`;
const SOURCE = { publication: 'TheBlaze', url: 'https://www.theblaze.com/news/2018/01/24/doj' };

export interface Ack {
  eventId: string;
  position: number;
  type: string;
  client: number;
}

interface Pending {
  path: string;
  body: Record<string, unknown>;
  /** Several clients race to register the same entity: one wins, the others' 422 is expected. */
  once?: boolean;
}

/**
 * One of the writers hammering the ledger while it is killed. Writes are sequential per
 * client, each with an eventId the client chose, so that after a crash the client can
 * send its unanswered request again and expect the original (or a first) answer.
 */
export class CrashClient {
  readonly acks: Ack[] = [];
  /** Requests sent whose answer never came (the server died): stored at most once. */
  readonly unanswered = new Set<string>();
  private pending: Pending | null = null;
  private seq = 0;

  constructor(readonly id: number) {}

  async run(base: string, round: number, stop: () => boolean): Promise<void> {
    if (this.pending && !(await this.send(base, this.pending))) return;
    const org = `crash-org-r${round}-c${this.id}`;
    if (!(await this.send(base, { path: '/v1/organizations', body: { id: org, name: `Writer ${this.id}`, level: 'local' } }))) return;
    // The round's shared stream (a stream that grows without bound would make each write slower).
    const city = `crash-city-r${round}`;
    if (!(await this.send(base, { path: '/v1/jurisdictions', body: { id: city, name: `City ${round}`, kind: 'city', state: 'IL' }, once: true }))) return;
    while (!stop()) {
      const n = this.seq++;
      // One write in four goes to a stream every client shares, so that appends contend.
      const next: Pending =
        n % 4 === 0
          ? {
              path: `/v1/jurisdictions/${city}/letters`,
              body: { letterId: `l-${this.id}-${n}`, from: 'organization:us-doj', subject: 'Records', demands: ['All'], threats: [], occurredAt: '2018-01-24', source: SOURCE },
            }
          : {
              path: `/v1/organizations/${org}/statements`,
              body: { statementId: `s-${this.id}-${n}`, channel: 'press-statement', quote: `Statement ${n}`, about: [`jurisdiction:${city}`], occurredAt: '2018-01-24', source: SOURCE },
            };
      if (!(await this.send(base, next))) return;
    }
  }

  /** False when the server is gone. */
  private async send(base: string, request: Pending): Promise<boolean> {
    const body = { eventId: (request.body.eventId as string | undefined) ?? randomUUID(), ...request.body };
    this.pending = { ...request, body };
    this.unanswered.add(body.eventId);
    let res: Response;
    try {
      res = await fetch(base + request.path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${CRASH_TOKEN}` },
        body: JSON.stringify(body),
      });
    } catch {
      return false;
    }
    const answer = (await res.json().catch(() => null)) as { eventId?: string; position?: number; type?: string; code?: string } | null;
    if (request.once && res.status === 422 && answer?.code?.endsWith('ALREADY_REGISTERED')) {
      this.unanswered.delete(body.eventId);
      this.pending = null;
      return true;
    }
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`client ${this.id}: ${request.path} answered ${res.status} ${JSON.stringify(answer)}`);
    }
    this.unanswered.delete(body.eventId);
    this.pending = null;
    this.acks.push({ eventId: answer!.eventId!, position: answer!.position!, type: answer!.type!, client: this.id });
    return true;
  }
}
