import type { EventEnvelope } from '@ledger/domain';
import { BEFORE_FIRST, type EventStore } from '@ledger/event-store';
import { compileFilter, storeFilter, type LogFilter } from './log-filter';

export const FIX_TYPES = ['CorrectionRecorded', 'EventRetracted'] as const;

export interface EventLink {
  eventId: string;
  position: number;
  href: string;
}

/** How an event relates to the rest of the record. */
export interface TimelineLinks {
  self: string;
  /** CorrectionRecorded events that target this one, oldest first. */
  corrections: EventLink[];
  /** EventRetracted events that target this one. */
  retractions: EventLink[];
  /** For a correction or retraction: the event it targets. */
  target: { eventId: string; href: string } | null;
}

export type TimelineItem = EventEnvelope & { links: TimelineLinks };

export interface TimelinePage {
  items: TimelineItem[];
  /** Position to continue after; null at the end of the log. */
  nextAfter: number | null;
}

/**
 * Finds the positions of the events that match a filter: an index (the projections'
 * timeline table) when there is one, else a scan of the log.
 */
export interface TimelineSource {
  /** Up to `limit` matching events after `after`, in position order, and where the search stopped. */
  page(filter: LogFilter, after: number, limit: number): Promise<{ events: EventEnvelope[]; scannedTo: number | null; exhausted: boolean }>;
}

export const eventHref = (eventId: string): string => `/v1/events/${eventId}`;

/**
 * Without an index, reads the log from the cursor and keeps what matches. A scan stops
 * after `maxScan` events even if the page is not full, and the cursor continues from there:
 * a page may then be short (or empty) but never slow.
 */
export class ScanTimelineSource implements TimelineSource {
  constructor(
    private readonly store: EventStore,
    private readonly maxScan = 20_000,
  ) {}

  async page(filter: LogFilter, after: number, limit: number) {
    const matches = compileFilter(filter, (id) => this.store.getEvent(id));
    const pushed = storeFilter(filter);
    const events: EventEnvelope[] = [];
    let scanned = 0;
    let cursor = after;
    const pageSize = Math.min(1000, Math.max(limit * 2, 100));
    for (;;) {
      const page = await this.store.readAll({ ...pushed, after: cursor, limit: pageSize });
      for (const event of page) {
        if (filter.toPosition !== undefined && event.position > filter.toPosition) return { events, scannedTo: cursor, exhausted: true };
        cursor = event.position;
        scanned += 1;
        const match = matches(event);
        if (typeof match === 'boolean' ? match : await match) {
          events.push(event);
          if (events.length === limit) return { events, scannedTo: cursor, exhausted: false };
        }
      }
      if (page.length < pageSize) return { events, scannedTo: cursor, exhausted: true };
      if (scanned >= this.maxScan) return { events, scannedTo: cursor, exhausted: false };
    }
  }
}

/** One page of the timeline with links between fixes and what they fix, both ways. */
export async function readTimeline(
  store: EventStore,
  source: TimelineSource,
  filter: LogFilter,
  options: { after?: number; limit: number },
): Promise<TimelinePage> {
  const after = options.after ?? BEFORE_FIRST;
  const { events, scannedTo, exhausted } = await source.page(filter, after, options.limit + 1);
  const pageEvents = events.slice(0, options.limit);
  const nextAfter =
    events.length > options.limit ? pageEvents[pageEvents.length - 1].position // a full page and at least one more
    : exhausted ? null // the end of the log
    : scannedTo; // the scan budget ran out: continue where it stopped
  const fixes = await fixesTargeting(store, pageEvents, after);
  const items = pageEvents.map((event): TimelineItem => {
    const targeting = fixes.get(event.eventId) ?? [];
    const link = (e: EventEnvelope): EventLink => ({ eventId: e.eventId, position: e.position, href: eventHref(e.eventId) });
    const targetId = FIX_TYPES.includes(event.type as (typeof FIX_TYPES)[number]) ? String(event.data.targetEventId ?? '') : '';
    return {
      ...event,
      links: {
        self: eventHref(event.eventId),
        corrections: targeting.filter((f) => f.type === 'CorrectionRecorded').map(link),
        retractions: targeting.filter((f) => f.type === 'EventRetracted').map(link),
        target: targetId ? { eventId: targetId, href: eventHref(targetId) } : null,
      },
    };
  });
  return { items, nextAfter };
}

/**
 * Fixes live in their target's stream and always come after it, so one read of the fix
 * types in the page's streams, from the page's start, finds every fix of every item.
 */
async function fixesTargeting(store: EventStore, events: EventEnvelope[], after: number): Promise<Map<string, EventEnvelope[]>> {
  const byTarget = new Map<string, EventEnvelope[]>();
  if (events.length === 0) return byTarget;
  const ids = new Set(events.map((e) => e.eventId));
  const streams = [...new Set(events.map((e) => e.streamId))];
  let cursor = after;
  for (;;) {
    const page = await store.readAll({ types: [...FIX_TYPES], streamPrefixes: streams, after: cursor, limit: 1000 });
    for (const fix of page) {
      const target = String(fix.data.targetEventId ?? '');
      if (ids.has(target) && streams.includes(fix.streamId)) byTarget.set(target, [...(byTarget.get(target) ?? []), fix]);
    }
    if (page.length < 1000) return byTarget;
    cursor = page[page.length - 1].position;
  }
}
