import { computeEventHash, GENESIS_HASH, type EventEnvelope, type NewEvent } from '@ledger/domain';
import {
  BEFORE_FIRST,
  EventIdReusedError,
  RevisionConflictError,
  SqliteEventStore,
  type AppendResult,
  type ExpectedRevision,
} from '@ledger/event-store';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, take, toArray } from 'rxjs';

/**
 * Model-based test of the SQLite event store: random sequences of appends (single,
 * concurrent, atomic multi-stream, repeated, reused ids), reads, subscriptions and
 * close-and-reopen, each checked against a plain in-memory model of what the log must hold.
 */

const STREAMS = ['jurisdiction-chicago-il', 'jurisdiction-cook-county-il', 'official-jeff-sessions'] as const;
const TYPES = ['LetterSent', 'StatementIssued', 'TestHappened'] as const;
type RevisionKind = 'omit' | 'any' | 'no-stream' | 'exists' | 'exact' | 'stale';

interface Stored {
  envelope: EventEnvelope;
  batch: NewEvent[];
}

/** What the log must hold: every event in global order, and each stream's events. */
class Model {
  readonly log: EventEnvelope[] = [];
  readonly streams = new Map<string, EventEnvelope[]>();
  /** Each committed append, to repeat it later. */
  readonly batches: { streamId: string; events: NewEvent[]; result: AppendResult }[] = [];
  readonly byId = new Map<string, Stored>();

  head(streamId: string): number {
    return (this.streams.get(streamId)?.length ?? 0) - 1;
  }
  lastHash(streamId: string): string {
    const events = this.streams.get(streamId);
    return events?.length ? events[events.length - 1].hash : GENESIS_HASH;
  }
  lastPosition(): number {
    return this.log.length ? this.log[this.log.length - 1].position : BEFORE_FIRST;
  }
  accepts(expected: ExpectedRevision | undefined, head: number): boolean {
    return expected === undefined || expected === 'any' || (expected === 'no-stream' ? head === -1 : expected === 'exists' ? head >= 0 : expected === head);
  }
  record(streamId: string, batch: NewEvent[], result: AppendResult): void {
    for (const envelope of result.events) {
      this.log.push(envelope);
      this.streams.set(streamId, [...(this.streams.get(streamId) ?? []), envelope]);
      this.byId.set(envelope.eventId, { envelope, batch });
    }
    this.batches.push({ streamId, events: batch, result });
  }
}

interface Real {
  store: SqliteEventStore;
  reopen(): Promise<void>;
}

interface AppendSpec {
  stream: number;
  kind: RevisionKind;
  events: { type: string; data: Record<string, unknown> }[];
}

function expectedRevision(kind: RevisionKind, head: number): ExpectedRevision | undefined {
  switch (kind) {
    case 'omit':
      return undefined;
    case 'exact':
      return head;
    case 'stale':
      return head + 1; // never the stream's revision
    default:
      return kind;
  }
}

function newEvents(spec: AppendSpec): NewEvent[] {
  return spec.events.map((e) => ({
    eventId: randomUUID(),
    type: e.type,
    occurredAt: '2018-01-24',
    occurredAtPrecision: 'day',
    data: e.data,
    metadata: { recordedBy: 'model', schemaVersion: 1 },
  }));
}

/** A committed append must be exactly the events asked for, chained, after everything before. */
function checkCommitted(model: Model, streamId: string, batch: NewEvent[], result: AppendResult): void {
  const head = model.head(streamId);
  expect(result.idempotent).toBe(false);
  expect(result.revision).toBe(head + batch.length);
  expect(result.events.map((e) => e.eventId)).toEqual(batch.map((e) => e.eventId));
  let prevHash = model.lastHash(streamId);
  let lastPosition = model.lastPosition();
  result.events.forEach((event, i) => {
    expect(event).toMatchObject({ streamId, revision: head + 1 + i, type: batch[i].type, data: batch[i].data, prevHash });
    expect(event.position).toBeGreaterThan(lastPosition);
    expect(event.hash).toBe(computeEventHash(event));
    prevHash = event.hash;
    lastPosition = event.position;
  });
  expect(result.position).toBe(lastPosition);
}

function expectConflict(error: unknown, actual: number): void {
  expect(error).toBeInstanceOf(RevisionConflictError);
  expect((error as RevisionConflictError).actual).toBe(actual);
}

class AppendCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly spec: AppendSpec) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const streamId = STREAMS[this.spec.stream];
    const head = model.head(streamId);
    const expected = expectedRevision(this.spec.kind, head);
    const batch = newEvents(this.spec);
    const attempt = real.store.append(streamId, batch, expected === undefined ? {} : { expectedRevision: expected });
    if (!model.accepts(expected, head)) {
      expectConflict(await attempt.then(() => null, (e: unknown) => e), head);
      return;
    }
    const result = await attempt;
    checkCommitted(model, streamId, batch, result);
    model.record(streamId, batch, result);
  }
  toString = () => `append(${STREAMS[this.spec.stream]}, ${this.spec.events.length}, ${this.spec.kind})`;
}

/** Appends submitted in one turn share a group commit; each must succeed or fail on its own. */
class ConcurrentAppendsCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly specs: AppendSpec[]) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const requests = this.specs.map((spec) => {
      const streamId = STREAMS[spec.stream];
      const expected = expectedRevision(spec.kind, model.head(streamId)); // as each writer last read it
      return { streamId, expected, batch: newEvents(spec) };
    });
    const settled = await Promise.allSettled(
      requests.map((r) => real.store.append(r.streamId, r.batch, r.expected === undefined ? {} : { expectedRevision: r.expected })),
    );
    // The model applies them in submission order, which is the order the store commits them.
    requests.forEach((r, i) => {
      const head = model.head(r.streamId);
      const outcome = settled[i];
      if (model.accepts(r.expected, head)) {
        expect(outcome.status).toBe('fulfilled');
        const result = (outcome as PromiseFulfilledResult<AppendResult>).value;
        checkCommitted(model, r.streamId, r.batch, result);
        model.record(r.streamId, r.batch, result);
      } else {
        expect(outcome.status).toBe('rejected');
        expectConflict((outcome as PromiseRejectedResult).reason, head);
      }
    });
  }
  toString = () => `concurrently(${this.specs.map((s) => `${STREAMS[s.stream]}:${s.kind}`).join(', ')})`;
}

/** appendMany with atomic: all requests commit, or none does. */
class AtomicAppendManyCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly specs: AppendSpec[]) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const heads = new Map(STREAMS.map((s) => [s, model.head(s)]));
    const requests = this.specs.map((spec) => {
      const streamId = STREAMS[spec.stream];
      const expected = expectedRevision(spec.kind, heads.get(streamId)!);
      return { streamId, expected, batch: newEvents(spec) };
    });
    // Simulate in order on the heads: the first refusal refuses the whole group.
    let refusedAt = -1;
    for (let i = 0; i < requests.length && refusedAt < 0; i++) {
      const head = heads.get(requests[i].streamId)!;
      if (!model.accepts(requests[i].expected, head)) refusedAt = i;
      else heads.set(requests[i].streamId, head + requests[i].batch.length);
    }
    const headBefore = await real.store.headPosition();
    const attempt = real.store.appendMany(
      requests.map((r) => ({ streamId: r.streamId, events: r.batch, ...(r.expected === undefined ? {} : { expectedRevision: r.expected }) })),
      { atomic: true },
    );
    if (refusedAt >= 0) {
      const error = await attempt.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(RevisionConflictError);
      expect(await real.store.headPosition()).toBe(headBefore);
      return;
    }
    const results = await attempt;
    requests.forEach((r, i) => {
      checkCommitted(model, r.streamId, r.batch, results[i]);
      model.record(r.streamId, r.batch, results[i]);
    });
  }
  toString = () => `appendMany atomic(${this.specs.map((s) => `${STREAMS[s.stream]}:${s.kind}`).join(', ')})`;
}

/** The same events again: a no-op answered with the original result. */
class RepeatAppendCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => model.batches.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const original = model.batches[this.pick % model.batches.length];
    const headBefore = await real.store.headPosition();
    const again = await real.store.append(original.streamId, original.events.map((e) => ({ ...e, data: structuredClone(e.data) })));
    expect(again.idempotent).toBe(true);
    expect(again.revision).toBe(original.result.revision);
    expect(again.position).toBe(original.result.position);
    expect(again.events.map((e) => e.hash)).toEqual(original.result.events.map((e) => e.hash));
    expect(await real.store.headPosition()).toBe(headBefore);
  }
  toString = () => `repeat(#${this.pick})`;
}

/** A stored event id with other content: refused, nothing stored. */
class ReuseIdCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly otherStream: boolean,
  ) {}
  check = (model: Readonly<Model>) => model.log.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const target = model.log[this.pick % model.log.length];
    const streamId = this.otherStream ? STREAMS.find((s) => s !== target.streamId)! : target.streamId;
    const headBefore = await real.store.headPosition();
    const forged: NewEvent = { ...model.byId.get(target.eventId)!.batch.find((e) => e.eventId === target.eventId)!, data: { forged: true } };
    const error = await real.store.append(streamId, [forged]).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(EventIdReusedError);
    expect(await real.store.headPosition()).toBe(headBefore);
  }
  toString = () => `reuse id(#${this.pick}${this.otherStream ? ', other stream' : ''})`;
}

class ReadStreamCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly stream: number,
    readonly direction: 'forwards' | 'backwards',
    readonly fromRevision: number | undefined,
    readonly limit: number | undefined,
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const streamId = STREAMS[this.stream];
    let expected = [...(model.streams.get(streamId) ?? [])];
    if (this.direction === 'backwards') expected.reverse();
    if (this.fromRevision !== undefined) {
      const from = this.fromRevision;
      expected = expected.filter((e) => (this.direction === 'forwards' ? e.revision >= from : e.revision <= from));
    }
    if (this.limit !== undefined) expected = expected.slice(0, this.limit);
    const events = await real.store.readStream(streamId, { direction: this.direction, fromRevision: this.fromRevision, limit: this.limit });
    expect(events).toEqual(expected);
  }
  toString = () => `readStream(${STREAMS[this.stream]}, ${this.direction}, from ${this.fromRevision}, limit ${this.limit})`;
}

class ReadAllCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly afterIndex: number,
    readonly limit: number | undefined,
    readonly types: string[],
    readonly prefixes: string[],
  ) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    const after = this.afterIndex < 0 || model.log.length === 0 ? BEFORE_FIRST : model.log[this.afterIndex % model.log.length].position;
    let expected = model.log.filter(
      (e) =>
        e.position > after &&
        (this.types.length === 0 || this.types.includes(e.type)) &&
        (this.prefixes.length === 0 || this.prefixes.some((p) => e.streamId.startsWith(p))),
    );
    if (this.limit !== undefined) expected = expected.slice(0, this.limit);
    const events = await real.store.readAll({ after, limit: this.limit, types: this.types, streamPrefixes: this.prefixes });
    expect(events).toEqual(expected);
  }
  toString = () => `readAll(after #${this.afterIndex}, limit ${this.limit}, types ${this.types}, prefixes ${this.prefixes})`;
}

class GetEventCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    if (model.log.length === 0 || this.pick < 0) {
      expect(await real.store.getEvent(randomUUID())).toBeNull();
      return;
    }
    const event = model.log[this.pick % model.log.length];
    expect(await real.store.getEvent(event.eventId)).toEqual(event);
  }
  toString = () => `getEvent(#${this.pick})`;
}

/** Catch-up from a position delivers exactly the model's events after it, in order. */
class SubscribeCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly afterIndex: number) {}
  check = (model: Readonly<Model>) => model.log.length > 0;
  async run(model: Model, real: Real): Promise<void> {
    const index = this.afterIndex % (model.log.length + 1);
    const after = index === 0 ? BEFORE_FIRST : model.log[index - 1].position;
    const expected = model.log.slice(index);
    if (expected.length === 0) return;
    const events = await firstValueFrom(real.store.subscribe(after).pipe(take(expected.length), toArray()));
    expect(events.map((e) => e.eventId)).toEqual(expected.map((e) => e.eventId));
  }
  toString = () => `subscribe(after #${this.afterIndex})`;
}

class HeadPositionCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    expect(await real.store.headPosition()).toBe(model.lastPosition());
  }
  toString = () => 'headPosition()';
}

/** Close and open the file again: everything committed is there, byte for byte, chains intact. */
class ReopenCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real): Promise<void> {
    await real.reopen();
    expect(await real.store.readAll()).toEqual(model.log);
    expect(await real.store.headPosition()).toBe(model.lastPosition());
    const heads = new Map<string, string>();
    for (const event of model.log) {
      expect(event.prevHash).toBe(heads.get(event.streamId) ?? GENESIS_HASH);
      expect(computeEventHash(event)).toBe(event.hash);
      heads.set(event.streamId, event.hash);
    }
  }
  toString = () => 'close and reopen';
}

const data = fc.record(
  {
    n: fc.integer(),
    text: fc.string({ unit: 'binary', maxLength: 12 }),
    list: fc.array(fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 4 })), { maxLength: 3 }),
  },
  { requiredKeys: ['n'] },
);
const appendSpec: fc.Arbitrary<AppendSpec> = fc.record({
  stream: fc.integer({ min: 0, max: STREAMS.length - 1 }),
  kind: fc.constantFrom<RevisionKind>('omit', 'any', 'no-stream', 'exists', 'exact', 'exact', 'stale'),
  events: fc.array(fc.record({ type: fc.constantFrom(...TYPES), data }), { minLength: 1, maxLength: 3 }),
});

const commands = fc.commands(
  [
    appendSpec.map((s) => new AppendCommand(s)),
    appendSpec.map((s) => new AppendCommand(s)),
    fc.array(appendSpec, { minLength: 2, maxLength: 5 }).map((s) => new ConcurrentAppendsCommand(s)),
    fc.array(appendSpec, { minLength: 1, maxLength: 3 }).map((s) => new AtomicAppendManyCommand(s)),
    fc.nat().map((n) => new RepeatAppendCommand(n)),
    fc.tuple(fc.nat(), fc.boolean()).map(([n, other]) => new ReuseIdCommand(n, other)),
    fc
      .tuple(
        fc.integer({ min: 0, max: STREAMS.length - 1 }),
        fc.constantFrom<'forwards' | 'backwards'>('forwards', 'backwards'),
        fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      )
      .map(([s, d, f, l]) => new ReadStreamCommand(s, d, f, l)),
    fc
      .tuple(
        fc.integer({ min: -1, max: 30 }),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        fc.subarray([...TYPES]),
        fc.subarray(['jurisdiction-', 'official-', 'jurisdiction-cook']),
      )
      .map(([a, l, t, p]) => new ReadAllCommand(a, l, t, p)),
    fc.integer({ min: -1, max: 30 }).map((n) => new GetEventCommand(n)),
    fc.nat().map((n) => new SubscribeCommand(n)),
    fc.constant(new HeadPositionCommand()),
    fc.constant(new ReopenCommand()),
  ],
  { maxCommands: 50, size: 'max' },
);

describe('SqliteEventStore against an in-memory model', () => {
  it('agrees with the model on every random sequence of commands, across close and reopen', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const dir = mkdtempSync(join(tmpdir(), 'ledger-model-'));
        const file = join(dir, 'ledger.sqlite');
        const real: Real = {
          store: new SqliteEventStore({ file, pollIntervalMs: 20 }),
          async reopen() {
            await this.store.close();
            this.store = new SqliteEventStore({ file, pollIntervalMs: 20 });
          },
        };
        try {
          await fc.asyncModelRun(() => ({ model: new Model(), real }), cmds);
        } finally {
          await real.store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: Number(process.env.MODEL_RUNS ?? 40) },
    );
  }, 120_000);
});
