export interface StatsView {
  events: { total: number; live: number; byType: Record<string, number> };
  jurisdictions: { total: number; byState: Record<string, number>; byStatus: Record<string, number>; byKind: Record<string, number> };
  officials: { total: number; byParty: Record<string, number> };
  organizations: { total: number };
  meetings: { total: number };
  statements: { total: number };
  boycotts: { total: number };
}

export interface StatsInputs {
  /** Per event type: all recorded and still standing. */
  types: { type: string; total: number; live: number }[];
  jurisdictions: { state: string | null; status: string; kind: string | null; n: number }[];
  officials: { party: string; n: number }[];
  organizations: number;
  meetings: number;
  statements: number;
  boycotts: number;
}

function add(into: Record<string, number>, key: string | null, n: number): void {
  const k = key ?? 'unknown';
  into[k] = (into[k] ?? 0) + n;
}

function sorted(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The one place counts are summed, for the stored tables and for point-in-time folds alike. */
export function summarizeStats(input: StatsInputs): StatsView {
  const byType: Record<string, number> = {};
  let total = 0;
  let liveTotal = 0;
  for (const t of input.types) {
    total += t.total;
    liveTotal += t.live;
    if (t.live > 0) add(byType, t.type, t.live);
  }
  const byState: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  let jurisdictions = 0;
  for (const j of input.jurisdictions) {
    jurisdictions += j.n;
    add(byState, j.state, j.n);
    add(byStatus, j.status, j.n);
    add(byKind, j.kind, j.n);
  }
  const byParty: Record<string, number> = {};
  let officials = 0;
  for (const o of input.officials) {
    officials += o.n;
    add(byParty, o.party, o.n);
  }
  return {
    events: { total, live: liveTotal, byType: sorted(byType) },
    jurisdictions: { total: jurisdictions, byState: sorted(byState), byStatus: sorted(byStatus), byKind: sorted(byKind) },
    officials: { total: officials, byParty: sorted(byParty) },
    organizations: { total: input.organizations },
    meetings: { total: input.meetings },
    statements: { total: input.statements },
    boycotts: { total: input.boycotts },
  };
}
