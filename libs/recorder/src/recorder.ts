import { randomUUID } from 'node:crypto';
import {
  contentDigest,
  decide,
  EVENT_CATALOGUE,
  evolve,
  foldStream,
  isEventType,
  LedgerError,
  precisionOf,
  relatedStreams,
  ValidationFailed,
  validateEventData,
  type Command,
  type EventMetadata,
  type NewEvent,
  type StreamState,
} from '@ledger/domain';
import {
  checkExpectedRevision,
  EventIdReusedError,
  RevisionConflictError,
  type AppendResult,
  type EventStore,
} from '@ledger/event-store';
import { KeyedMutex } from './keyed-mutex';
import { StreamStateCache } from './stream-state-cache';
import type { RecordInput, RecordOptions } from './record-input';

export interface RecorderClock {
  now(): Date;
}

const MAX_ATTEMPTS = 8;

/**
 * The write side: validate, load the streams a rule needs, decide, append. Optimistic:
 * when the caller named no expected revision, a concurrent writer's conflict is retried
 * against the fresh state; when it did, the conflict is the caller's answer.
 */
export class Recorder {
  private readonly streamLocks = new KeyedMutex();
  private readonly states = new StreamStateCache();

  constructor(
    private readonly store: EventStore,
    private readonly clock: RecorderClock,
  ) {}

  async record(input: RecordInput, options: RecordOptions): Promise<AppendResult> {
    const command = this.toCommand(input, options);
    // A server-minted id cannot have been seen before: only a client's id needs the look-up.
    const clientChosenId = input.eventId !== undefined;
    return this.streamLocks.run(command.streamId, () => this.decideAndAppend(command, options, clientChosenId));
  }

  private async decideAndAppend(command: Command, options: RecordOptions, clientChosenId: boolean): Promise<AppendResult> {
    if (clientChosenId) {
      const repeat = await this.findRepeat(command);
      if (repeat) return repeat;
    }
    for (let attempt = 1; ; attempt++) {
      // The cache is trusted only on the first attempt; a conflict means it was stale.
      const cached = attempt === 1 ? this.states.get(command.streamId) : undefined;
      const stream = cached ?? (await this.loadStream(command.streamId));
      try {
        checkExpectedRevision(command.streamId, options.expectedRevision, stream.revision);
        const related = await this.loadRelated(command);
        const events = decide(command, { stream, related, now: this.clock.now() });
        const result = await this.store.append(command.streamId, events, {
          expectedRevision: stream.revision === -1 ? 'no-stream' : stream.revision,
        });
        if (result.idempotent) this.states.delete(command.streamId);
        else this.states.set(result.events.reduce(evolve, stream));
        return result;
      } catch (error) {
        this.states.delete(command.streamId);
        // Any refusal decided on a cached state is decided again on the stored one: the
        // cache may lack another process's writes. A conflict the caller did not ask for
        // (no expected revision) is retried against the fresh state.
        const retry = cached !== undefined || (error instanceof RevisionConflictError && options.expectedRevision === undefined);
        if (!retry || attempt >= MAX_ATTEMPTS) throw this.asCallerConflict(error, options);
      }
    }
  }

  /** Validates an input and turns it into the proposed event; throws ValidationFailed (400). */
  toCommand(input: RecordInput, options: RecordOptions): Command {
    if (!isEventType(input.type)) {
      throw new LedgerError('EVENT.UNKNOWN_TYPE', `Unknown event type "${String(input.type)}".`, {}, [
        { field: 'type', reasons: [`type must be one of the catalogue's event types`] },
      ]);
    }
    const spec = EVENT_CATALOGUE[input.type];
    const errors = options.dataValidated ? [] : validateEventData(input.type, input.data);
    if (!spec.registration && !spec.system && input.type !== 'CorrectionRecorded' && input.type !== 'EventRetracted') {
      if (!input.occurredAt) errors.push({ field: 'occurredAt', reasons: ['occurredAt is required for actions'] });
      if (!input.source) errors.push({ field: 'source', reasons: ['source is required for actions'] });
    }
    if (errors.length) throw new ValidationFailed(errors);
    const now = this.clock.now();
    const occurredAt = input.occurredAt ?? now.toISOString();
    return {
      eventId: input.eventId ?? randomUUID(),
      type: input.type,
      streamId: input.streamId,
      occurredAt,
      occurredAtPrecision: input.occurredAtPrecision ?? precisionOf(occurredAt),
      data: input.data,
      metadata: metadataOf(input, options, spec.schemaVersion),
    };
  }

  /**
   * A client-chosen event id seen before: the same content is a no-op answered with the
   * original result (even though the rules would now refuse it, e.g. "already registered").
   */
  async findRepeat(command: Command): Promise<AppendResult | null> {
    const existing = await this.store.getEvent(command.eventId);
    if (!existing) return null;
    if (existing.streamId !== command.streamId || contentDigest(existing.streamId, existing) !== contentDigest(command.streamId, command)) {
      throw new EventIdReusedError(command.eventId);
    }
    return { revision: existing.revision, position: existing.position, events: [existing], idempotent: true };
  }

  /**
   * A stream's state as stored now: the cached one when the stream's head revision is still
   * the one it was folded to (a one-row read), else read and folded afresh.
   */
  async currentState(streamId: string): Promise<StreamState> {
    const cached = this.states.get(streamId);
    if (cached && (await this.store.streamRevision(streamId)) === cached.revision) return cached;
    const state = await this.loadStream(streamId);
    this.states.set(state);
    return state;
  }

  /** States known to be stored (an import that just committed them). */
  remember(states: Iterable<StreamState>): void {
    for (const state of states) this.states.set(state);
  }

  async loadStream(streamId: string): Promise<StreamState> {
    return foldStream(streamId, await this.store.readStream(streamId));
  }

  private async loadRelated(command: Command): Promise<Map<string, StreamState>> {
    const related = new Map<string, StreamState>();
    for (const id of relatedStreams(command)) related.set(id, await this.loadStream(id));
    return related;
  }

  private asCallerConflict(error: unknown, options: RecordOptions): unknown {
    // The store saw the revision we read; report the revision the caller expected.
    if (error instanceof RevisionConflictError && options.expectedRevision !== undefined) {
      return new RevisionConflictError(error.streamId, options.expectedRevision, error.actual);
    }
    return error;
  }
}

export type { NewEvent };

/** The event's metadata, in this key order, with absent parts left out (not set to undefined). */
function metadataOf(input: RecordInput, options: RecordOptions, schemaVersion: number): EventMetadata {
  const metadata: Partial<EventMetadata> = {};
  if (input.source) metadata.source = input.source;
  if (input.confidence) metadata.confidence = input.confidence;
  metadata.recordedBy = options.recordedBy;
  if (options.correlationId) metadata.correlationId = options.correlationId;
  if (options.causationId) metadata.causationId = options.causationId;
  metadata.schemaVersion = schemaVersion;
  return metadata as EventMetadata;
}
