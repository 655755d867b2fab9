import {
  evolve,
  LedgerError,
  lapsableDeadlines,
  liveFacts,
  periodEndMillis,
  SYSTEM_ACTOR,
  emptyStream,
  type EventEnvelope,
  type StreamState,
} from '@ledger/domain';
import { BEFORE_FIRST, iterateAll, type EventStore } from '@ledger/event-store';
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
const FAR_FUTURE = new Date(8.64e15);
/** The rule refused because the stream moved on (answered, lapsed, retracted): nothing to do. */
const SETTLED = new Set(['DEADLINE.NOT_LAPSED', 'DEADLINE.NOT_FOUND', 'STREAM.REVISION_CONFLICT', 'EVENT.ID_REUSED']);

/**
 * Appends DeadlineLapsed (recorded by `system`) when a deadline's due period ends with no
 * response to its letter. It follows the jurisdictions' streams through the port and keeps
 * the domain's own stream state of each, so it asks the domain (lapsableDeadlines) rather
 * than a projection. The event id is derived from the deadline, and the Recorder decides
 * against the stream as stored, so several watchers and restarts still append each lapse
 * once. A deadline already past when first seen (historic data) lapses on the next tick.
 */
export class DeadlineWatcher {
  readonly lapses$ = new Subject<Lapse>();
  private readonly streams = new Map<string, StreamState>();
  /** Streams with a deadline that is unanswered and not lapsed (due or not). */
  private readonly pending = new Set<string>();
  private subscription?: Subscription;
  private started = false;
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
    const filter = { types: WATCHED, streamPrefixes: ['jurisdiction-'] };
    let after = BEFORE_FIRST;
    for await (const event of iterateAll(this.store, { ...filter, pageSize: 2000 })) {
      this.see(event);
      after = event.position;
    }
    if (!this.started) return;
    this.subscription = this.store.subscribe(after, filter).subscribe({
      next: (event) => this.see(event),
      error: (error) => this.log('error', 'deadline watcher lost its subscription', { error: String(error) }),
    });
    this.timer = setInterval(() => void this.tick().catch(() => undefined), this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  private see(event: EventEnvelope): void {
    const state = evolve(this.streams.get(event.streamId) ?? emptyStream(event.streamId), event);
    this.streams.set(event.streamId, state);
    if (lapsableDeadlines(state, FAR_FUTURE).length > 0) this.pending.add(event.streamId);
    else this.pending.delete(event.streamId);
  }

  async stop(): Promise<void> {
    this.started = false;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    if (this.timer) clearInterval(this.timer);
    await this.ticking?.catch(() => undefined);
  }

  /** Streams seen so far, for tests and health. */
  get watchedStreams(): number {
    return this.streams.size;
  }

  /** Lapses every deadline due by the clock's now. One tick at a time. */
  tick(): Promise<Lapse[]> {
    this.ticking ??= this.lapseDue().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async lapseDue(): Promise<Lapse[]> {
    const now = this.clock.now();
    const done: Lapse[] = [];
    for (const streamId of [...this.pending]) {
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
