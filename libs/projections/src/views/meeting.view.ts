import { correctedFields, correctionNotes, currentOf, live, type CorrectionNote } from '../core/facts';
import { registration, type StreamFacts } from '../core/stream-facts';
import type { BoycottView } from './boycott.view';

export interface MeetingBoycott {
  eventId: string;
  officialId: string;
  name: string | null;
  party: string;
  reason?: string;
  form: string;
  at: string;
  corrected: boolean;
}

export interface MeetingView {
  id: string;
  title: string | null;
  host: string | null;
  scheduledFor: string | null;
  location: string | null;
  invitees: string[];
  held: boolean;
  heldAt: string | null;
  boycotts: MeetingBoycott[];
  /** Boycotting officials per party (`{"democratic": 4, "republican": 1}`). */
  boycottsByParty: Record<string, number>;
  corrected: boolean;
  correctedFields: string[];
  corrections: CorrectionNote[];
  position: number;
}

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface OfficialParty {
  name: string | null;
  party: string;
}

export function deriveMeeting(state: StreamFacts) {
  const reg = registration<Data>(state.entries, 'MeetingScheduled');
  const held = live(state.entries, 'MeetingHeld');
  const heldData = held.length ? currentOf<Data>(held[held.length - 1]) : null;
  const notes = correctionNotes(state.entries);
  return {
    registered: reg !== null,
    base: {
      id: state.id,
      title: reg ? String(reg.data.title) : null,
      host: reg ? String(reg.data.host) : null,
      scheduledFor: reg ? String(reg.data.scheduledFor) : null,
      location: heldData?.data.location ? String(heldData.data.location) : reg?.data.location ? String(reg.data.location) : null,
      invitees: Array.isArray(reg?.data.invitees) ? reg!.data.invitees.map(String) : [],
      held: held.length > 0,
      heldAt: heldData ? heldData.occurredAt : null,
      corrected: notes.length > 0,
      correctedFields: reg ? correctedFields(notes, reg.entry.id) : [],
      corrections: notes,
      position: state.position,
    },
  };
}

/**
 * A meeting with its boycotts: the boycotts live in officials' streams, and the party is
 * the official's (as corrected), looked up when the view is read.
 */
export function meetingView(state: StreamFacts, boycotts: readonly BoycottView[], officials: ReadonlyMap<string, OfficialParty>): MeetingView {
  const { base } = deriveMeeting(state);
  const list: MeetingBoycott[] = boycotts
    .filter((b) => b.meetingId === state.id)
    .map((b) => {
      const official = officials.get(b.officialId);
      return {
        eventId: b.eventId,
        officialId: b.officialId,
        name: official?.name ?? null,
        party: official?.party ?? 'unknown',
        ...(b.reason !== undefined ? { reason: b.reason } : {}),
        form: b.form,
        at: b.at,
        corrected: b.corrected,
      };
    })
    .sort((a, b) => (a.officialId < b.officialId ? -1 : a.officialId > b.officialId ? 1 : 0));
  const byParty: Record<string, number> = {};
  for (const b of list) byParty[b.party] = (byParty[b.party] ?? 0) + 1;
  return { ...base, boycotts: list, boycottsByParty: byParty };
}
