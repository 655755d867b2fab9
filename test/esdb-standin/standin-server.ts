/**
 * TEST DOUBLE. An in-memory gRPC server that answers the few EventStoreDB calls the
 * ledger's esdb adapter makes, built on the vendor client's own generated service
 * definitions so that the real `@eventstore/db-client` talks to it unchanged. It is not
 * EventStoreDB: no persistence, no cluster, no ACLs, no projections. See README.md here.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtoEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { AllStreamPosition, Empty, StreamIdentifier, UUID, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';

export interface StandInOptions {
  /**
   * Advertise and serve Streams.BatchAppend through ServerFeatures, as EventStoreDB 21.10+
   * does (the client then appends through it). Off: ServerFeatures is UNIMPLEMENTED and
   * the client falls back to Streams.Append, as with older servers.
   */
  batchAppend?: boolean;
  /** Write a `$statsCollected` system event at each start, as a real node writes its own. */
  systemEvents?: boolean;
}

interface StoredEvent {
  streamId: string;
  revision: number;
  /** commit = prepare, as for any event appended over gRPC */
  position: bigint;
  eventId: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends them */
  created: bigint;
}

interface Proposed {
  eventId: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

type Expected = { kind: 'any' } | { kind: 'no_stream' } | { kind: 'stream_exists' } | { kind: 'revision'; revision: number };

type AppendOutcome =
  | { ok: true; revision: number; position?: bigint }
  | { ok: false; current: number; expected: Expected };

type Matcher = (event: StoredEvent) => boolean;

const TICKS_PER_MS = 10_000n;

export class EsdbStandIn {
  /** Every event, in $all order. Survives stop()/start(). */
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  /** The next free "byte offset". Starts past zero and grows by each record's size: gaps, like the real log. */
  private nextPosition = 4096n;
  private readonly live = new Set<(events: StoredEvent[]) => void>();
  private server: grpc.Server | undefined;
  private boundPort = 0;
  /** gRPC calls served, by method name. */
  readonly calls = new Map<string, number>();
  /** Round trips: every read, and every append request (BatchAppend carries many on one call). */
  readonly roundTrips = { reads: 0, appends: 0 };

  constructor(private readonly options: StandInOptions = {}) {}

  get port(): number {
    return this.boundPort;
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.boundPort}?tls=false`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** Listens on 127.0.0.1 (a free port the first time, the same port after a restart). */
  async start(port = this.boundPort): Promise<this> {
    if (this.server) return this;
    const server = new grpc.Server();
    server.addService(StreamsService, {
      read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => this.count('Read', () => this.read(call)),
      append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) =>
        this.count('Append', () => this.appendCall(call, callback)),
      batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => this.count('BatchAppend', () => this.batchAppendCall(call)),
      delete: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(unimplemented('Streams.Delete')),
      tombstone: (_call: unknown, callback: grpc.sendUnaryData<unknown>) => callback(unimplemented('Streams.Tombstone')),
    });
    if (this.options.batchAppend) {
      server.addService(ServerFeaturesService, {
        getSupportedMethods: (_call: unknown, callback: grpc.sendUnaryData<SupportedMethods>) =>
          this.count('GetSupportedMethods', () => callback(null, this.supportedMethods())),
      });
    }
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    this.server = server;
    if (this.options.systemEvents ?? true) {
      this.commit('$stats-standin', [
        { eventId: randomUUID(), type: '$statsCollected', contentType: 'application/json', data: json({ proc: { startTime: Date.now() } }), customMetadata: new Uint8Array() },
      ]);
    }
    return this;
  }

  /** Drops every connection at once, as a crashed or restarted node does. Data is kept. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.live.clear();
    server.forceShutdown();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Events in $all order, for tests that look behind the adapter. */
  allEvents(): readonly { streamId: string; revision: number; position: number; eventId: string; type: string }[] {
    return this.log.map((e) => ({ streamId: e.streamId, revision: e.revision, position: Number(e.position), eventId: e.eventId, type: e.type }));
  }

  // ------------------------------------------------------------------ append

  private appendCall(call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>): void {
    let options: AppendReq.Options | undefined;
    const proposed: Proposed[] = [];
    call.on('data', (request: AppendReq) => {
      if (request.hasOptions()) options = request.getOptions();
      else if (request.hasProposedMessage()) proposed.push(toProposed(request.getProposedMessage()!));
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (!options) return callback(invalid('append without options'));
      const streamId = streamName(options.getStreamIdentifier());
      const outcome = this.tryAppend(streamId, appendExpected(options), proposed);
      const response = new AppendResp();
      if (outcome.ok) {
        const success = new AppendResp.Success();
        success.setCurrentRevision(String(outcome.revision));
        if (outcome.position !== undefined) {
          const position = new AppendResp.Position();
          position.setCommitPosition(String(outcome.position));
          position.setPreparePosition(String(outcome.position));
          success.setPosition(position);
        } else {
          success.setNoPosition(new Empty());
        }
        response.setSuccess(success);
      } else {
        const wrong = new AppendResp.WrongExpectedVersion();
        if (outcome.current >= 0) wrong.setCurrentRevision(String(outcome.current));
        else wrong.setCurrentNoStream(new Empty());
        const e = outcome.expected;
        if (e.kind === 'revision') wrong.setExpectedRevision(String(e.revision));
        else if (e.kind === 'no_stream') wrong.setExpectedNoStream(new Empty());
        else if (e.kind === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
        else wrong.setExpectedAny(new Empty());
        response.setWrongExpectedVersion(wrong);
      }
      callback(null, response);
    });
  }

  /** One long-lived bidirectional call per client; each request carries its own correlation id. */
  private batchAppendCall(call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    const pending = new Map<string, { options: BatchAppendReq.Options; proposed: Proposed[] }>();
    call.on('error', () => undefined);
    call.on('end', () => call.end());
    call.on('data', (request: BatchAppendReq) => {
      const correlation = request.getCorrelationId()!.getString();
      let entry = pending.get(correlation);
      if (!entry) {
        entry = { options: request.getOptions()!, proposed: [] };
        pending.set(correlation, entry);
      }
      for (const message of request.getProposedMessagesList()) entry.proposed.push(toProposed(message));
      if (!request.getIsFinal()) return;
      pending.delete(correlation);
      const identifier = entry.options.getStreamIdentifier()!;
      const streamId = streamName(identifier);
      const outcome = this.tryAppend(streamId, batchExpected(entry.options), entry.proposed);
      const response = new BatchAppendResp();
      response.setCorrelationId(request.getCorrelationId());
      // The client reads the stream name from every response, success or not: always set it.
      response.setStreamIdentifier(identifier);
      if (outcome.ok) {
        const success = new BatchAppendResp.Success();
        success.setCurrentRevision(String(outcome.revision));
        if (outcome.position !== undefined) {
          const position = new AllStreamPosition();
          position.setCommitPosition(String(outcome.position));
          position.setPreparePosition(String(outcome.position));
          success.setPosition(position);
        } else {
          success.setNoPosition(new ProtoEmpty());
        }
        response.setSuccess(success);
      } else {
        const wrong = new WrongExpectedVersion();
        if (outcome.current >= 0) wrong.setCurrentStreamRevision(String(outcome.current));
        else wrong.setCurrentNoStream(new ProtoEmpty());
        const e = outcome.expected;
        if (e.kind === 'revision') wrong.setExpectedStreamPosition(String(e.revision));
        else if (e.kind === 'no_stream') wrong.setExpectedNoStream(new ProtoEmpty());
        else if (e.kind === 'stream_exists') wrong.setExpectedStreamExists(new ProtoEmpty());
        else wrong.setExpectedAny(new ProtoEmpty());
        const details = new Any();
        details.pack(wrong.serializeBinary(), 'event_store.client.WrongExpectedVersion');
        const status = new Status();
        status.setCode(9); // FAILED_PRECONDITION, as the server answers
        status.setMessage('WrongExpectedVersion');
        status.setDetails(details);
        response.setError(status);
      }
      call.write(response);
    });
  }

  private tryAppend(streamId: string, expected: Expected, proposed: Proposed[]): AppendOutcome {
    this.roundTrips.appends++;
    const existing = this.streams.get(streamId) ?? [];
    const current = existing.length - 1;
    const ok =
      expected.kind === 'any' ||
      (expected.kind === 'no_stream' && current === -1) ||
      (expected.kind === 'stream_exists' && current >= 0) ||
      (expected.kind === 'revision' && expected.revision === current);
    if (!ok) {
      // EventStoreDB's own idempotency: the same ids already sit right after the expected
      // revision → success, but no position (the write did not happen now).
      const after = expected.kind === 'revision' ? expected.revision + 1 : expected.kind === 'no_stream' ? 0 : -1;
      if (after >= 0 && proposed.length > 0) {
        const there = existing.slice(after, after + proposed.length);
        if (there.length === proposed.length && there.every((e, i) => e.eventId === proposed[i].eventId)) {
          return { ok: true, revision: after + proposed.length - 1 };
        }
      }
      return { ok: false, current, expected };
    }
    if (proposed.length === 0) return { ok: true, revision: current };
    const stored = this.commit(streamId, proposed);
    const last = stored[stored.length - 1];
    return { ok: true, revision: last.revision, position: last.position };
  }

  private commit(streamId: string, proposed: Proposed[]): StoredEvent[] {
    const events = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, events);
    const created = BigInt(Date.now()) * TICKS_PER_MS;
    const stored = proposed.map((p) => {
      const event: StoredEvent = { ...p, streamId, revision: events.length, position: this.nextPosition, created };
      // Like a log record: a header plus the bytes it holds, so positions have uneven gaps.
      this.nextPosition += 96n + BigInt(streamId.length + p.type.length + p.data.length + p.customMetadata.length);
      events.push(event);
      this.log.push(event);
      return event;
    });
    for (const listener of [...this.live]) listener(stored);
    return stored;
  }

  private supportedMethods(): SupportedMethods {
    const methods = new SupportedMethods();
    methods.setEventStoreServerVersion('24.10.0-standin');
    for (const [service, method] of [
      ['event_store.client.streams.streams', 'read'],
      ['event_store.client.streams.streams', 'append'],
      ['event_store.client.streams.streams', 'batchappend'],
    ]) {
      const m = new SupportedMethod();
      m.setServiceName(service);
      m.setMethodName(method);
      methods.addMethods(m);
    }
    return methods;
  }

  // ------------------------------------------------------------------ read

  private read(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
    this.roundTrips.reads++;
    const options = call.request.getOptions();
    if (!options) return fail(call, invalid('read without options'));
    const subscription = options.getCountOptionCase() === ReadReq.Options.CountOptionCase.SUBSCRIPTION;
    const count = subscription ? Number.MAX_SAFE_INTEGER : Math.min(Number(options.getCount() || '0'), Number.MAX_SAFE_INTEGER);
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const matcher = toMatcher(options);

    if (options.hasStream()) {
      if (subscription) return fail(call, unimplemented('stream subscriptions'));
      return this.readStream(call, options.getStream()!, backwards, count);
    }
    if (!options.hasAll()) return fail(call, invalid('read of neither a stream nor $all'));
    const all = options.getAll()!;
    if (subscription) return this.subscribeAll(call, all, matcher);

    const events: StoredEvent[] = [];
    if (!backwards) {
      // Forwards from a position includes the event at that position.
      const from = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : all.hasEnd() ? null : 0n;
      if (from !== null) {
        for (let i = this.firstAtOrAfter(from); i < this.log.length && events.length < count; i++) {
          if (matcher(this.log[i])) events.push(this.log[i]);
        }
      }
    } else {
      // Backwards from a position gives the events before it.
      const before = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : all.hasStart() ? 0n : null;
      for (let i = (before === null ? this.log.length : this.firstAtOrAfter(before)) - 1; i >= 0 && events.length < count; i--) {
        if (matcher(this.log[i])) events.push(this.log[i]);
      }
    }
    for (const e of events) call.write(eventResponse(e));
    call.end();
  }

  private readStream(call: grpc.ServerWritableStream<ReadReq, ReadResp>, options: ReadReq.Options.StreamOptions, backwards: boolean, count: number): void {
    const identifier = options.getStreamIdentifier()!;
    const events = this.streams.get(streamName(identifier));
    if (!events) {
      // A missing stream is an answer inside the read, not a gRPC error.
      const notFound = new ReadResp.StreamNotFound();
      notFound.setStreamIdentifier(identifier);
      const response = new ReadResp();
      response.setStreamNotFound(notFound);
      call.write(response);
      call.end();
      return;
    }
    const last = events.length - 1;
    const requested = options.hasRevision() ? Number(options.getRevision()) : null;
    const out: StoredEvent[] = [];
    if (!backwards) {
      const from = options.hasEnd() ? events.length : (requested ?? 0);
      for (let r = from; r <= last && out.length < count; r++) out.push(events[r]);
    } else {
      // Backwards from beyond the end starts at the last event, as the server does.
      const from = options.hasStart() ? 0 : options.hasEnd() ? last : Math.min(requested ?? last, last);
      for (let r = from; r >= 0 && out.length < count; r--) out.push(events[r]);
    }
    for (const e of out) call.write(eventResponse(e));
    call.end();
  }

  /**
   * Confirmation, then every matching event after the start position (respecting the
   * client's flow control, as the server reads the log in chunks), then CaughtUp, then live
   * events as they are committed. The last check for more events and the switch to live
   * happen in one turn of the event loop, so nothing committed in between is lost.
   */
  private subscribeAll(call: grpc.ServerWritableStream<ReadReq, ReadResp>, all: ReadReq.Options.AllOptions, matcher: Matcher): void {
    let ended = false;
    const listener = (events: StoredEvent[]) => {
      for (const e of events) if (matcher(e)) call.write(eventResponse(e));
    };
    const stop = () => {
      ended = true;
      this.live.delete(listener);
    };
    call.on('cancelled', stop);
    call.on('close', stop);
    call.on('error', stop);

    const confirmation = new ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(randomUUID());
    const confirm = new ReadResp();
    confirm.setConfirmation(confirmation);
    call.write(confirm);

    const after = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : all.hasEnd() ? (this.log.at(-1)?.position ?? -1n) : -1n;
    const catchUp = async () => {
      let i = this.firstAtOrAfter(after + 1n);
      while (i < this.log.length) {
        if (ended) return;
        const e = this.log[i++];
        if (matcher(e) && !call.write(eventResponse(e))) {
          await new Promise<void>((resolve) => {
            const done = () => {
              for (const name of ['drain', 'cancelled', 'close']) call.off(name, done);
              resolve();
            };
            for (const name of ['drain', 'cancelled', 'close']) call.once(name, done);
          });
        }
      }
      if (ended) return;
      const lastSeen = this.log.at(-1)?.position ?? -1n;
      if (lastSeen >= 0n) {
        const checkpoint = new ReadResp.Checkpoint();
        checkpoint.setCommitPosition(String(lastSeen));
        checkpoint.setPreparePosition(String(lastSeen));
        const response = new ReadResp();
        response.setCheckpoint(checkpoint);
        call.write(response);
      }
      const caughtUp = new ReadResp();
      caughtUp.setCaughtUp(new ReadResp.CaughtUp());
      call.write(caughtUp);
      this.live.add(listener);
    };
    void catchUp();
  }

  /** Index of the first event at or after a position (binary search: the log is in position order). */
  private firstAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.log[mid].position < position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private count(method: string, run: () => void): void {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    run();
  }
}

function toProposed(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): Proposed {
  const metadata = message.getMetadataMap();
  return {
    eventId: message.getId()!.getString().toLowerCase(),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

function appendExpected(options: AppendReq.Options): Expected {
  if (options.hasRevision()) return { kind: 'revision', revision: Number(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

function batchExpected(options: BatchAppendReq.Options): Expected {
  if (options.hasStreamPosition()) return { kind: 'revision', revision: Number(options.getStreamPosition()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

function toMatcher(options: ReadReq.Options): Matcher {
  if (!options.hasFilter()) return () => true;
  const filter = options.getFilter()!;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier()! : filter.getEventType()!;
  const field = (e: StoredEvent) => (onStream ? e.streamId : e.type);
  const prefixes = expression.getPrefixList();
  if (prefixes.length) return (e) => prefixes.some((p) => field(e).startsWith(p));
  const regex = new RegExp(expression.getRegex());
  return (e) => regex.test(field(e));
}

function eventResponse(e: StoredEvent): ReadResp {
  const record = new ReadResp.ReadEvent.RecordedEvent();
  const id = new UUID();
  id.setString(e.eventId);
  record.setId(id);
  const identifier = new StreamIdentifier();
  identifier.setStreamName(Buffer.from(e.streamId, 'utf8'));
  record.setStreamIdentifier(identifier);
  record.setStreamRevision(String(e.revision));
  record.setCommitPosition(String(e.position));
  record.setPreparePosition(String(e.position));
  const metadata = record.getMetadataMap();
  metadata.set('type', e.type);
  metadata.set('content-type', e.contentType);
  metadata.set('created', String(e.created));
  record.setCustomMetadata(e.customMetadata);
  record.setData(e.data);
  const read = new ReadResp.ReadEvent();
  read.setEvent(record);
  read.setCommitPosition(String(e.position));
  const response = new ReadResp();
  response.setEvent(read);
  return response;
}

function streamName(identifier: StreamIdentifier | undefined): string {
  if (!identifier) throw invalid('missing stream identifier');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

function json(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function unimplemented(what: string): grpc.ServiceError {
  return Object.assign(new Error(`${what} is not implemented by the stand-in`), {
    code: grpc.status.UNIMPLEMENTED,
    details: `${what} is not implemented by the stand-in`,
    metadata: new grpc.Metadata(),
  });
}

function invalid(message: string): grpc.ServiceError {
  return Object.assign(new Error(message), { code: grpc.status.INVALID_ARGUMENT, details: message, metadata: new grpc.Metadata() });
}

/** A failing server-streaming call: emit('error'), since destroy() sends no status and the client hangs. */
function fail(call: grpc.ServerWritableStream<ReadReq, ReadResp>, error: grpc.ServiceError): void {
  call.emit('error', error);
}
