import {
  evolve,
  LedgerError,
  lapsableDeadlines,
  liveFacts,
  periodEndMillis,
  SYSTEM_ACTOR,
  emptyStream,
  unsettledDeadlines,
  type EventEnvelope,
  type EventMetadata,
  type NewEvent,
  type StreamState,
} from '@ledger/domain';
import { BEFORE_FIRST, type EventStore } from '@ledger/event-store';
import type { Clock } from '@ledger/platform';
import { Subject, type Subscription } from 'rxjs';
import { lapseEventId, lapseTime } from './lapse-id';

/** What the watcher needs of the write side (the Recorder): decide against the stream, then append. */
export interface LapseRecorder {
  record(
    input: { type: string; streamId: string; eventId: string; occurredAt: string; data: Record<string, unknown> },
    options: { recordedBy: string; causationId?: string },
  ): Promise<{ position: number; idempotent: boolean }>;
}

export interface DeadlineWatcherOptions {
  /** How often to compare the clock with the due dates (the clock itself may be a test's). */
  intervalMs?: number;
  /** The first wait before a stream that could not be read is tried again (then longer, up to 30 s). */
  retryMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>) => void;
}

export interface Lapse {
  streamId: string;
  deadlineId: string;
  position: number;
  /** False when another watcher had appended it already. */
  appended: boolean;
}

/** The event types that decide whether a deadline may lapse. */
const WATCHED = ['LetterSent', 'DeadlineSet', 'ResponseReceived', 'DeadlineLapsed', 'CorrectionRecorded', 'EventRetracted'];
const WATCHED_SET: ReadonlySet<string> = new Set(WATCHED);
/** The only event types that can give a stream with no unsettled deadline one (see unsettledDeadlines). */
const MAY_UNSETTLE: ReadonlySet<string> = new Set(['DeadlineSet', 'CorrectionRecorded', 'EventRetracted']);
const FAR_FUTURE = new Date(8.64e15);
/** The fields lapsableDeadlines reads: a watcher holds jurisdictions' deadlines, not their letters' text. */
const KEEP: Record<string, readonly string[]> = {
  LetterSent: ['letterId'],
  DeadlineSet: ['deadlineId', 'letterId', 'dueAt'],
  ResponseReceived: ['letterId'],
  DeadlineLapsed: ['deadlineId'],
};

/** An event as the watcher keeps it: what evolve and lapsableDeadlines read, nothing more. */
type Watched = NewEvent & Pick<EventEnvelope, 'streamId' | 'revision' | 'position'>;

/** The metadata the watcher's facts carry: evolve keeps only source and confidence, which lapses never read. */
const NO_METADATA: EventMetadata = Object.freeze({ recordedBy: 'deadline-watcher', schemaVersion: 1 });

/** Most distinct strings held once (beyond it, strings are kept as they come). */
const INTERNED_MAX = 100_000;

/**
 * Slims events for the watcher, holding repeated strings once. At 1M events it holds about
 * half a million facts (every letter, deadline, response and lapse of every jurisdiction),
 * and types, dates and ids such as `l-1` repeat across jurisdictions: each copy was a string
 * of its own, read from the row. With the envelope's other fields, the watcher held about
 * 250 MB of the api's 275 MB heap (after GC) at 1M events, and about 170 MB after this.
 */
class Slimmer {
  private readonly strings = new Map<string, string>();

  slim(event: EventEnvelope): Watched {
    const keep = KEEP[event.type];
    let data = event.data;
    if (keep) {
      data = {};
      for (const key of keep) {
        const value = event.data[key];
        if (value !== undefined) data[key] = typeof value === 'string' ? this.intern(value) : value;
      }
    }
    return {
      eventId: event.eventId,
      type: this.intern(event.type),
      streamId: event.streamId,
      revision: event.revision,
      position: event.position,
      occurredAt: this.intern(event.occurredAt),
      occurredAtPrecision: event.occurredAtPrecision,
      data,
      metadata: NO_METADATA,
    };
  }

  private intern(value: string): string {
    const held = this.strings.get(value);
    if (held !== undefined) return held;
    if (this.strings.size < INTERNED_MAX) this.strings.set(value, value);
    return value;
  }
}

export interface DeadlineWatcherHealth {
  /** The deadlines recorded before the start are read; new events are followed. */
  loaded: boolean;
  /** Streams whose states the watcher holds: those with a deadline neither answered nor lapsed. */
  heldStreams: number;
  /** Streams with at least one deadline neither answered nor lapsed. */
  openDeadlineStreams: number;
}

/** The rule refused because the stream moved on (answered, lapsed, retracted): nothing to do. */
const SETTLED = new Set(['DEADLINE.NOT_LAPSED', 'DEADLINE.NOT_FOUND', 'STREAM.REVISION_CONFLICT', 'EVENT.ID_REUSED']);

/**
 * Appends DeadlineLapsed (recorded by `system`) when a deadline's due period ends with no
 * response to its letter. It follows the jurisdictions' streams through the port and keeps
 * the domain's own stream state of each, so it asks the domain (lapsableDeadlines) rather
 * than a projection. The event id is derived from the deadline, and the Recorder decides
 * against the stream as stored, so several watchers and restarts still append each lapse
 * once. A deadline already past when first seen (historic data) lapses on the next tick.
 *
 * It holds the state of a stream only while the stream has a deadline neither answered nor
 * lapsed: on a ledger of many jurisdictions most are settled, and holding them all kept
 * hundreds of megabytes in the api's heap, which every garbage collection then walked. A
 * settled stream's letters, responses and lapses cannot unsettle it and are passed over;
 * on a deadline, a correction or a retraction its watched history is read again from the
 * log (see unsettledDeadlines).
 */
export class DeadlineWatcher {
  readonly lapses$ = new Subject<Lapse>();
  private readonly streams = new Map<string, StreamState>();
  private readonly slimmer = new Slimmer();
  /** Streams with a deadline that is unanswered and not lapsed, by the earliest moment one of them lapses. */
  private readonly pending = new Map<string, number>();
  /**
   * No entry of `pending` is earlier than this (it may be earlier than all of them, after a
   * deletion). A tick scans `pending` only once this moment has come: on a large ledger the
   * scan is tens of thousands of entries, and running it every second stalled the api's
   * requests (6–15 ms a tick at 83k open streams, in the GET p99 at 1M events).
   */
  private earliestDue = Number.POSITIVE_INFINITY;
  private subscription?: Subscription;
  private started = false;
  /** Counts starts, so that a load begun before a stop cannot go on into a later start's state. */
  private runs = 0;
  /** The log up to the start's head has been folded: from here the watcher follows new events. */
  private loaded = false;
  private seen = -1;
  /** The followed events, taken one at a time: one may need its stream read again. */
  private following: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<Lapse[]>;
  private readonly log: NonNullable<DeadlineWatcherOptions['log']>;

  constructor(
    private readonly store: EventStore,
    private readonly recorder: LapseRecorder,
    private readonly clock: Clock,
    private readonly options: DeadlineWatcherOptions = {},
  ) {
    this.log = options.log ?? (() => undefined);
  }

  /** Reads the jurisdictions' deadlines so far, then follows new events and checks the clock every interval. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Started again after a stop: what the last run held is read afresh (folding the log a
    // second time into it would hold every deadline twice). A run stopped while still
    // loading sees that it is no longer the current one after its next await and ends.
    const run = ++this.runs;
    const current = () => this.started && this.runs === run;
    this.streams.clear();
    this.pending.clear();
    this.earliestDue = Number.POSITIVE_INFINITY;
    this.seen = -1;
    const filter = { types: WATCHED, streamPrefixes: ['jurisdiction-'] };
    // One type at a time (an index range each, in position order), merged by position:
    // a filter on several types at once is a sort per page in the SQLite store.
    // Everything up to the head as it is now, then the subscription from there: no gap
    // between the per-type scans and what is appended meanwhile.
    const head = await this.store.headPosition();
    const seen: Watched[] = [];
    for (const type of WATCHED) {
      let from = BEFORE_FIRST;
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve)); // the api shares this process
        const page = await this.store.readAll({ types: [type], streamPrefixes: filter.streamPrefixes, after: from, limit: 5000 });
        for (const event of page) if (event.position <= head) seen.push(this.slimmer.slim(event));
        if (page.length) from = page[page.length - 1].position;
        if (page.length < 5000 || from >= head || !current()) break;
      }
    }
    if (!current()) return;
    seen.sort((a, b) => a.position - b.position);
    // Fold every stream first and ask which deadlines are open once per stream at the end:
    // asking after each event made the start quadratic in a stream's length.
    const folded = new Set<string>();
    for (let i = 0; i < seen.length; i++) {
      // Folding a large ledger's deadlines takes seconds: let requests in between slices.
      if (i > 0 && i % 5000 === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (!current()) return;
      }
      this.fold(seen[i]);
      folded.add(seen[i].streamId);
    }
    let n = 0;
    for (const streamId of folded) {
      if (++n % 5000 === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (!current()) return;
      }
      this.refreshPending(streamId);
      this.dropIfSettled(streamId);
    }
    if (!current()) return;
    this.seen = head;
    this.loaded = true;
    this.following = Promise.resolve();
    this.subscription = this.store.subscribe(head, filter).subscribe({
      next: (event) => {
        this.following = this.following
          .then(() => (current() ? this.see(event, current) : undefined))
          .catch((error) => this.log('error', 'deadline watcher could not follow an event', { position: event.position, error: String(error) }));
      },
      error: (error) => this.log('error', 'deadline watcher lost its subscription', { error: String(error) }),
    });
    this.timer = setInterval(() => void this.tick().catch(() => undefined), this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  private async see(event: EventEnvelope, current: () => boolean): Promise<void> {
    const streamId = event.streamId;
    if (this.streams.has(streamId)) {
      this.fold(this.slimmer.slim(event));
    } else if (MAY_UNSETTLE.has(event.type)) {
      // Tried until it is read or the watcher stops (EventStoreDB may be out of reach for a
      // while): a stream skipped here could miss its lapse, and the events after this one
      // wait, so that none is seen before it.
      for (let attempt = 1; ; attempt++) {
        try {
          await this.readAgain(event);
          break;
        } catch (error) {
          if (!current()) return;
          this.log('warn', 'deadline watcher could not read a stream again; will retry', { streamId, attempt, error: String(error) });
          await sleepWhile(current, Math.min((this.options.retryMs ?? 1000) * attempt, 30_000));
        }
      }
      if (!current()) return;
    }
    this.refreshPending(streamId);
    this.dropIfSettled(streamId);
    this.seen = event.position;
  }

  /**
   * A stream the watcher does not hold (settled, or new) got an event that may unsettle it:
   * its watched events up to this one, from the log. Later ones come through the
   * subscription, which waits meanwhile.
   */
  private async readAgain(event: EventEnvelope): Promise<void> {
    const stored = await this.store.readStream(event.streamId);
    for (const e of stored) {
      if (e.position > event.position) break;
      if (WATCHED_SET.has(e.type)) this.fold(this.slimmer.slim(e));
    }
  }

  /** A stream with no deadline left to answer or lapse is let go (see the class comment). */
  private dropIfSettled(streamId: string): void {
    const state = this.streams.get(streamId);
    if (state && !this.pending.has(streamId) && unsettledDeadlines(state).length === 0) this.streams.delete(streamId);
  }

  private fold(event: Watched): void {
    this.streams.set(event.streamId, evolve(this.streams.get(event.streamId) ?? emptyStream(event.streamId), event));
  }

  /** When the stream's first open deadline lapses, or nothing if none is open. */
  private refreshPending(streamId: string): void {
    const state = this.streams.get(streamId);
    const open = state ? lapsableDeadlines(state, FAR_FUTURE) : [];
    if (open.length > 0) {
      const due = Math.min(...open.map((d) => periodEndMillis(d.dueAt)));
      this.pending.set(streamId, due);
      if (due < this.earliestDue) this.earliestDue = due;
    } else {
      this.pending.delete(streamId);
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    this.loaded = false;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    if (this.timer) clearInterval(this.timer);
    await this.ticking?.catch(() => undefined);
    // The followed events are not waited for: a read in flight (EventStoreDB's may take its
    // deadline) must not hold up a shutdown, and whatever it finds is dropped, since the
    // run it belongs to is over (see `current` in start).
  }

  /** The log position the watcher has read up to (its start's head, then each event it follows). */
  get seenPosition(): number {
    return this.seen;
  }

  /** Streams held (with a deadline neither answered nor lapsed), for tests and health. */
  get heldStreams(): number {
    return this.streams.size;
  }

  /**
   * For /health. On a large ledger the start's load takes seconds of the process's CPU
   * after the api already answers (1M events: about 6 s), and a deadline due meanwhile
   * lapses only once it is done; operators (and benchmarks) can see when it is.
   */
  health(): DeadlineWatcherHealth {
    return { loaded: this.loaded, heldStreams: this.streams.size, openDeadlineStreams: this.pending.size };
  }

  /** Lapses every deadline due by the clock's now. One tick at a time. */
  tick(): Promise<Lapse[]> {
    this.ticking ??= this.lapseDue().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async lapseDue(): Promise<Lapse[]> {
    const now = this.clock.now();
    const done: Lapse[] = [];
    // A number compare per waiting stream; the domain's rule runs only where something is due.
    if (now.getTime() < this.earliestDue) return done;
    const due: string[] = [];
    let later = Number.POSITIVE_INFINITY;
    for (const [streamId, at] of this.pending) {
      if (at <= now.getTime()) due.push(streamId);
      else if (at < later) later = at;
    }
    // Streams found due are refreshed as their lapses are recorded (see), or tried again on
    // the next tick when recording failed; either way they must keep the next tick scanning.
    this.earliestDue = due.length > 0 ? Math.min(later, now.getTime()) : later;
    for (const streamId of due) {
      const state = this.streams.get(streamId);
      if (!state) continue;
      for (const deadline of lapsableDeadlines(state, now)) {
        const lapse = await this.lapse(state, deadline);
        if (lapse) {
          done.push(lapse);
          this.lapses$.next(lapse);
        }
      }
    }
    return done;
  }

  private async lapse(state: StreamState, deadline: { deadlineId: string; letterId: string; dueAt: string }): Promise<Lapse | null> {
    const set = liveFacts(state, 'DeadlineSet').find((f) => f.data.deadlineId === deadline.deadlineId);
    try {
      const result = await this.recorder.record(
        {
          type: 'DeadlineLapsed',
          streamId: state.streamId,
          eventId: lapseEventId(state.streamId, deadline.deadlineId),
          occurredAt: lapseTime(periodEndMillis(deadline.dueAt)),
          data: { deadlineId: deadline.deadlineId, letterId: deadline.letterId, dueAt: deadline.dueAt },
        },
        { recordedBy: SYSTEM_ACTOR, ...(set ? { causationId: set.eventId } : {}) },
      );
      if (!result.idempotent) this.log('info', 'deadline lapsed', { streamId: state.streamId, deadlineId: deadline.deadlineId, position: result.position });
      return { streamId: state.streamId, deadlineId: deadline.deadlineId, position: result.position, appended: !result.idempotent };
    } catch (error) {
      if (error instanceof LedgerError && SETTLED.has(error.code)) return null;
      this.log('warn', 'could not record a lapsed deadline; will retry', { streamId: state.streamId, deadlineId: deadline.deadlineId, error: String(error) });
      return null;
    }
  }
}

/** Waits `ms`, or less once `going` turns false (a stop should not wait out a retry's delay). */
async function sleepWhile(going: () => boolean, ms: number): Promise<void> {
  for (let left = ms; left > 0 && going(); left -= 50) await new Promise((resolve) => setTimeout(resolve, Math.min(50, left)));
}
