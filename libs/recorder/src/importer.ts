import {
  checkJsonShape,
  contentDigest,
  decide,
  evolve,
  ImportLine,
  LedgerError,
  relatedStreams,
  validateAgainst,
  type Command,
  type FieldError,
  type StreamState,
} from '@ledger/domain';
import type { AppendRequest, EventStore } from '@ledger/event-store';
import type { Recorder, RecorderClock } from './recorder';

export interface ImportOptions {
  recordedBy: string;
  /** Store the good lines and report the bad ones, instead of storing nothing. */
  partial?: boolean;
  /** Called as lines are checked (for progress bars). */
  onProgress?: (checked: number) => void;
}

export interface ImportReport {
  lines: number;
  /** Lines stored now. */
  appended: number;
  /** Lines whose event id was stored before with the same content. */
  skipped: number;
  /** Lines refused (only with partial; otherwise the import throws). */
  rejected: number;
  errors: FieldError[];
  lastPosition: number | null;
}

export class ImportRejected extends LedgerError {
  constructor(errors: FieldError[], lines: number) {
    super('IMPORT.INVALID', `${new Set(errors.map((e) => e.line)).size} of ${lines} lines are invalid; nothing was stored.`, { lines }, errors);
  }
}

interface Accepted {
  line: number;
  command: Command;
}

/**
 * All-or-nothing NDJSON import: every line is parsed, validated and decided against the
 * ledger's state plus the lines before it, before anything is stored; then everything is
 * appended in file order in one atomic multi-stream append.
 */
export class Importer {
  constructor(
    private readonly store: EventStore,
    private readonly recorder: Recorder,
    private readonly clock: RecorderClock,
  ) {}

  async importText(text: string, options: ImportOptions): Promise<ImportReport> {
    return this.importLines(text.split(/\r?\n/), options);
  }

  async importLines(rawLines: Iterable<string> | AsyncIterable<string>, options: ImportOptions): Promise<ImportReport> {
    const errors: FieldError[] = [];
    const accepted: Accepted[] = [];
    const states = new Map<string, StreamState>();
    const seenIds = new Map<string, number>();
    let lineNo = 0;
    let count = 0;
    let skipped = 0;
    const now = this.clock.now();

    const initialRevisions = new Map<string, number>();
    const state = async (streamId: string) => {
      let s = states.get(streamId);
      if (!s) {
        s = await this.recorder.currentState(streamId);
        states.set(streamId, s);
        initialRevisions.set(streamId, s.revision);
      }
      return s;
    };

    for await (const raw of rawLines) {
      lineNo += 1;
      if (raw.trim() === '') continue;
      count += 1;
      options.onProgress?.(count);
      const fail = (field: string, reasons: string[]) => errors.push({ line: lineNo, field, reasons });
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch (error) {
        fail('(line)', [`not valid JSON: ${(error as Error).message}`]);
        continue;
      }
      // A reviver refusing keys would run a function per key; checking the parsed value is cheaper.
      const badShape = checkJsonShape(parsed, '(line)');
      if (badShape) {
        badShape.errors.forEach((e) => fail(e.field, e.reasons));
        continue;
      }
      const shapeErrors = validateAgainst(ImportLine, parsed);
      if (shapeErrors.length) {
        shapeErrors.forEach((e) => fail(e.field, e.reasons));
        continue;
      }
      const line = parsed as ImportLine;
      let command: Command;
      try {
        command = this.recorder.toCommand(
          {
            type: line.type,
            streamId: line.streamId,
            eventId: line.eventId,
            data: line.data,
            occurredAt: line.occurredAt,
            occurredAtPrecision: line.occurredAtPrecision,
            source: line.metadata.source,
            confidence: line.metadata.confidence,
          },
          { recordedBy: options.recordedBy },
        );
      } catch (error) {
        reportError(error, fail);
        continue;
      }
      if (seenIds.has(command.eventId)) {
        fail('eventId', [`eventId repeats line ${seenIds.get(command.eventId)}`]);
        continue;
      }
      seenIds.set(command.eventId, lineNo);
      // Only a line's own event id can have been stored before; a minted one is new.
      const existing = line.eventId === undefined ? null : await this.store.getEvent(command.eventId);
      if (existing) {
        if (existing.streamId === command.streamId && contentDigest(existing.streamId, existing) === contentDigest(command.streamId, command)) {
          skipped += 1;
        } else {
          fail('eventId', ['eventId was stored before with a different body']);
        }
        continue;
      }
      try {
        const stream = await state(command.streamId);
        const related = new Map<string, StreamState>();
        for (const id of relatedStreams(command)) related.set(id, await state(id));
        for (const event of decide(command, { stream, related, now })) {
          states.set(command.streamId, evolve(stream, event));
        }
        accepted.push({ line: lineNo, command });
      } catch (error) {
        reportError(error, fail);
      }
    }

    if (errors.length && !options.partial) throw new ImportRejected(errors, count);
    const rejected = new Set(errors.map((e) => e.line)).size;
    if (accepted.length === 0) return { lines: count, appended: 0, skipped, rejected, errors, lastPosition: null };
    const results = await this.store.appendMany(toRequests(accepted, initialRevisions), { atomic: true });
    // The states the lines were decided into are now the stored ones: the next import or
    // write of these streams starts from them.
    this.recorder.remember(states.values());
    return {
      lines: count,
      appended: accepted.length,
      skipped,
      rejected,
      errors,
      lastPosition: results[results.length - 1].position,
    };
  }
}

/** Consecutive lines of one stream become one request; file order is kept across streams. */
function toRequests(accepted: Accepted[], revisions: Map<string, number>): AppendRequest[] {
  const requests: AppendRequest[] = [];
  for (const { command } of accepted) {
    const { streamId, ...event } = command;
    const last = requests[requests.length - 1];
    if (last && last.streamId === streamId) {
      last.events.push(event);
    } else {
      // Expect exactly the revision the lines were decided against: a concurrent writer fails the import.
      const expected = revisions.get(streamId)!;
      requests.push({ streamId, events: [event], expectedRevision: expected === -1 ? 'no-stream' : expected });
    }
    revisions.set(streamId, revisions.get(streamId)! + 1);
  }
  return requests;
}

function reportError(error: unknown, fail: (field: string, reasons: string[]) => void): void {
  if (error instanceof LedgerError) {
    if (error.errors.length) error.errors.forEach((e) => fail(e.field, e.reasons));
    else fail('(line)', [`${error.code}: ${error.message}`]);
    return;
  }
  throw error;
}
