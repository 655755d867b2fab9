import type { EventEnvelope } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import type { ReadModelDb } from '@ledger/platform';
import { queryTimeline, readCheckpoints } from '@ledger/projections';
import type { LogFilter } from './log-filter';
import { ScanTimelineSource, type TimelineSource } from './timeline-reader';

/**
 * Reference filters (jurisdiction, actor) through the projections' timeline index, which
 * finds the few matching events of a long log without reading the rest. The index runs
 * behind the log; what it has not reached yet is scanned from the log, so a page is never
 * missing the newest events. Filters the index does not hold (streamId, positions) and
 * unfiltered reads go to the scan, which is as fast as the index for them.
 */
export class IndexedTimelineSource implements TimelineSource {
  private readonly scan: ScanTimelineSource;

  constructor(
    private readonly store: EventStore,
    private readonly readModel: ReadModelDb,
    private readonly projectionName = 'timeline',
  ) {
    this.scan = new ScanTimelineSource(store);
  }

  async page(filter: LogFilter, after: number, limit: number) {
    const indexedTo = await this.indexedTo();
    const useIndex = (filter.jurisdiction || filter.actor) && !filter.streamId && filter.toPosition === undefined && indexedTo > after;
    if (!useIndex) return this.scan.page(filter, after, limit);
    const found = await queryTimeline(this.readModel, {
      jurisdiction: filter.jurisdiction,
      actor: filter.actor,
      types: filter.types,
      occurredFrom: filter.occurredFrom,
      occurredTo: filter.occurredTo,
      recordedFrom: filter.recordedFrom,
      recordedTo: filter.recordedTo,
      after,
      limit,
    });
    const entries = found.items.filter((i) => i.position <= indexedTo);
    const events = (await Promise.all(entries.map((i) => this.store.getEvent(i.eventId)))).filter((e): e is EventEnvelope => e !== null);
    if (entries.length === limit) return { events, scannedTo: entries[entries.length - 1].position, exhausted: false };
    // the index has nothing more up to its checkpoint: the rest is in the log's tail
    const tail = await this.scan.page(filter, indexedTo, limit - events.length);
    return { events: [...events, ...tail.events], scannedTo: tail.scannedTo ?? indexedTo, exhausted: tail.exhausted };
  }

  /** The last position the index holds; -1 when the projections do not run on this database. */
  private async indexedTo(): Promise<number> {
    try {
      return (await readCheckpoints(this.readModel.reads as never)).get(this.projectionName)?.position ?? -1;
    } catch {
      return -1;
    }
  }
}
