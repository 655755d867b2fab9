import type { EventEnvelope } from '@ledger/domain';
import { iterateAll, type EventStore } from '@ledger/event-store';
import type { ReadModelDb } from '@ledger/platform';
import { queryTimeline } from '../queries/timeline.query';
import type { JurisdictionView } from '../views/jurisdiction.view';
import type { MeetingView } from '../views/meeting.view';
import type { OfficialView } from '../views/official.view';
import type { OrganizationView } from '../views/organization.view';
import type { StatsView } from '../views/stats.view';
import { knownEvents, type KnownAt } from './fold';
import { computeStats, foldJurisdiction, foldMeeting, foldOfficial, foldOrganization } from './views';

/**
 * Single views as they stood at a valid time (`asOf`) and as the ledger knew them at a
 * record time (`knownAt`): the entity's events are read through the port (its stream,
 * plus the events of other streams the timeline index links to it) and folded in memory
 * by the projections' own evolve.
 */
export class PointInTimeViews {
  constructor(
    private readonly store: EventStore,
    private readonly readModel: ReadModelDb,
  ) {}

  async jurisdiction(id: string, at: KnownAt): Promise<JurisdictionView | null> {
    const events = await this.collect([`jurisdiction-${id}`], [`jurisdiction:${id}`]);
    return foldJurisdiction(knownEvents(events, at), id);
  }

  async official(id: string, at: KnownAt): Promise<OfficialView | null> {
    return foldOfficial(knownEvents(await this.collect([`official-${id}`], []), at), id);
  }

  async organization(id: string, at: KnownAt): Promise<OrganizationView | null> {
    const events = await this.collect([`organization-${id}`], [`organization:${id}`]);
    return foldOrganization(knownEvents(events, at), id);
  }

  async meeting(id: string, at: KnownAt): Promise<MeetingView | null> {
    const events = await this.collect([`meeting-${id}`], [`meeting:${id}`]);
    // The parties of the officials who boycotted: their registrations and the fixes of them.
    const officials = [...new Set(events.filter((e) => e.type === 'BoycottDeclared').map((e) => e.streamId))];
    for (const streamId of officials) {
      for (const e of await this.store.readStream(streamId)) if (e.type === 'OfficialRegistered' || e.type === 'CorrectionRecorded' || e.type === 'EventRetracted') events.push(e);
    }
    return foldMeeting(knownEvents(dedupe(events), at), id);
  }

  /** Folds the whole log: meant for audits, not for traffic. */
  async stats(at: KnownAt): Promise<StatsView> {
    const events: EventEnvelope[] = [];
    for await (const e of iterateAll(this.store, { pageSize: 5000 })) events.push(e);
    return computeStats(knownEvents(events, at));
  }

  private async collect(streams: string[], refs: string[]): Promise<EventEnvelope[]> {
    const events: EventEnvelope[] = [];
    for (const streamId of streams) events.push(...(await this.store.readStream(streamId)));
    const have = new Set(events.map((e) => e.eventId));
    for (const ref of refs) {
      let after = -1;
      for (;;) {
        const page = await queryTimeline(this.readModel, { actor: ref, after, limit: 1000 });
        for (const item of page.items) {
          if (have.has(item.eventId)) continue;
          const event = await this.store.getEvent(item.eventId);
          if (event) {
            events.push(event);
            have.add(event.eventId);
          }
        }
        if (page.nextAfter === null) break;
        after = page.nextAfter;
      }
    }
    return events;
  }
}

function dedupe(events: EventEnvelope[]): EventEnvelope[] {
  const seen = new Map<string, EventEnvelope>();
  for (const e of events) seen.set(e.eventId, e);
  return [...seen.values()];
}
