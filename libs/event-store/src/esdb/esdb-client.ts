/**
 * The only file that talks to the vendor client. Everything else in the adapter sees the
 * small `EsdbGateway` below, with plain numbers, plain objects and two error classes of its
 * own, so that moving to `@kurrent/kurrentdb-client` (same protocol, renamed API:
 * `KurrentDBClient`, `streamState` instead of `expectedRevision`) means rewriting this file
 * only.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  eventTypeFilter,
  isCommandError,
  jsonEvent,
  streamNameFilter,
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type Filter,
  type JSONType,
  type ResolvedEvent,
} from '@eventstore/db-client';

/** A $all position. For events appended over gRPC, commit and prepare are equal. */
export interface EsdbPosition {
  commit: bigint;
  prepare: bigint;
}

export interface EsdbRecord {
  streamId: string;
  eventId: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: unknown;
  /** Absent on servers older than 22.10 when reading a stream (not $all). */
  position?: EsdbPosition;
}

export interface EsdbProposedEvent {
  eventId: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

/** `number` is the exact revision of the stream's last event. */
export type EsdbExpected = 'any' | 'no_stream' | 'stream_exists' | number;

export interface EsdbAppendOutcome {
  nextRevision: number;
  /** Absent when the server took the write as a repeat of one it already had. */
  position?: EsdbPosition;
}

/** Server-side $all filter: one expression, on stream names or on event types. */
export interface EsdbFilter {
  on: 'stream' | 'type';
  regex?: string;
  prefixes?: string[];
}

export interface EsdbSubscriptionHandlers {
  onEvent(record: EsdbRecord): void;
  /** The subscription has read everything committed when it started and is now live. */
  onCaughtUp(): void;
  /** The subscription ended without being stopped: a lost connection or a server error. */
  onDrop(error: Error): void;
}

export interface EsdbSubscription {
  stop(): Promise<void>;
}

/** The stream is not at the expected revision. `actual` is -1 when it does not exist. */
export class EsdbWrongRevision extends Error {
  constructor(
    readonly streamId: string,
    readonly actual: number,
  ) {
    super(`${streamId} is at revision ${actual}`);
    this.name = 'EsdbWrongRevision';
  }
}

/** The server could not be reached or did not answer in time: worth retrying. */
export class EsdbUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EsdbUnavailable';
  }
}

/** The server refused our credentials or our access to a stream: retrying will not help. */
export class EsdbAccessDenied extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EsdbAccessDenied';
  }
}

const NO_POSITION = 0xffffffffffffffffn;

export class EsdbGateway {
  private constructor(private readonly client: EventStoreDBClient) {}

  /** Makes no call yet: the client connects on the first command. */
  static connect(connectionString: string): EsdbGateway {
    return new EsdbGateway(EventStoreDBClient.connectionString(connectionString));
  }

  async append(streamId: string, events: EsdbProposedEvent[], expected: EsdbExpected): Promise<EsdbAppendOutcome> {
    const payload = events.map((e) =>
      jsonEvent({ id: e.eventId, type: e.type, data: e.data as JSONType, metadata: e.metadata }),
    );
    const expectedRevision =
      expected === 'any' || expected === 'no_stream' || expected === 'stream_exists' ? expected : BigInt(expected);
    try {
      const result = await this.client.appendToStream(streamId, payload, { expectedRevision });
      return { nextRevision: Number(result.nextExpectedRevision), position: toPosition(result.position) };
    } catch (error) {
      throw translate(error, streamId);
    }
  }

  /** Events of one stream; an empty list when the stream does not exist. */
  async readStream(
    streamId: string,
    options: { direction: 'forwards' | 'backwards'; from: number | 'start' | 'end'; maxCount: number },
  ): Promise<EsdbRecord[]> {
    if (options.maxCount <= 0) return [];
    const fromRevision = options.from === 'start' ? START : options.from === 'end' ? END : BigInt(options.from);
    const records: EsdbRecord[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: options.direction === 'backwards' ? BACKWARDS : FORWARDS,
        fromRevision,
        maxCount: options.maxCount,
      });
      for await (const resolved of read) {
        const record = toRecord(resolved);
        if (record) records.push(record);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw translate(error, streamId);
    }
    return records;
  }

  /** $all backwards, unfiltered (the vendor client cannot filter a read, only a subscription). */
  async readAllBackwards(from: EsdbPosition | 'end', maxCount: number): Promise<EsdbRecord[]> {
    const records: EsdbRecord[] = [];
    try {
      const read = this.client.readAll({ direction: BACKWARDS, fromPosition: from === 'end' ? END : from, maxCount });
      for await (const resolved of read) {
        const record = toRecord(resolved);
        if (record) records.push(record);
      }
    } catch (error) {
      throw translate(error, '$all');
    }
    return records;
  }

  /**
   * A catch-up subscription to $all, after `from` (exclusive), filtered on the server.
   * Exactly one of the handlers' onDrop calls ends it, unless stop() was called first.
   */
  subscribeAll(from: EsdbPosition | 'start', filter: EsdbFilter | undefined, handlers: EsdbSubscriptionHandlers): EsdbSubscription {
    let stopped = false;
    let dropped = false;
    const subscription = this.client.subscribeToAll({
      fromPosition: from === 'start' ? START : from,
      filter: filter ? toVendorFilter(filter) : undefined,
    });
    const drop = (error: Error) => {
      if (stopped || dropped) return;
      dropped = true;
      handlers.onDrop(error);
    };
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (stopped || dropped) return;
      const record = toRecord(resolved);
      if (record) handlers.onEvent(record);
    });
    subscription.on('caughtUp', () => {
      if (!stopped && !dropped) handlers.onCaughtUp();
    });
    subscription.on('error', (error: unknown) => {
      const translated = translate(error, '$all');
      drop(translated instanceof Error ? translated : new Error(String(translated)));
    });
    subscription.on('end', () => drop(new EsdbUnavailable('the server ended the subscription')));
    subscription.on('close', () => drop(new EsdbUnavailable('the subscription closed')));
    return {
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await subscription.unsubscribe().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

function toVendorFilter(filter: EsdbFilter): Filter {
  const make = filter.on === 'stream' ? streamNameFilter : eventTypeFilter;
  return filter.prefixes ? make({ prefixes: filter.prefixes }) : make({ regex: filter.regex ?? '' });
}

function toPosition(position: { commit: bigint; prepare: bigint } | undefined): EsdbPosition | undefined {
  if (!position || position.commit === NO_POSITION || position.commit < 0n) return undefined;
  return { commit: position.commit, prepare: position.prepare };
}

function toRecord(resolved: ResolvedEvent | AllStreamResolvedEvent): EsdbRecord | null {
  const event = resolved.event;
  if (!event) return null;
  // JSON events arrive parsed; anything else (binary events of other applications) is skipped by the mapper.
  return {
    streamId: event.streamId,
    eventId: event.id,
    revision: Number(event.revision),
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    position: toPosition(event.position),
  };
}

/** grpc-js appends an empty "Resolution note:" to connection errors; keep messages to one clean line. */
function clean(message: string): string {
  return message.replace(/\s*Resolution note:\s*$/, '').trim();
}

/** Vendor errors → the gateway's own; anything unrecognised passes through unchanged. */
function translate(error: unknown, streamId: string): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion;
    return new EsdbWrongRevision(streamId, typeof actual === 'bigint' ? Number(actual) : -1);
  }
  if (error instanceof AccessDeniedError) return new EsdbAccessDenied(`access denied to ${streamId}: ${error.message}`);
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError
  ) {
    return new EsdbUnavailable(clean(error.message) || error.constructor.name);
  }
  if (error instanceof Error && !isCommandError(error) && /discover|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|No connection established/i.test(error.message)) {
    return new EsdbUnavailable(clean(error.message));
  }
  return error;
}
