import type { ReadModelDb } from '@ledger/platform';
import { sql, type SelectQueryBuilder } from 'kysely';
import type { EventFacts } from '../core/event-facts';
import type { StreamFacts } from '../core/stream-facts';
import { physicalName, type TableSpec } from '../core/table-spec';
import { JURISDICTIONS_TABLE } from '../definitions/jurisdictions.projection';
import { OFFICIALS_TABLE } from '../definitions/officials.projection';
import { num } from '../store/sql';
import { boycottView, type BoycottView } from '../views/boycott.view';
import type { JurisdictionSummary, JurisdictionView } from '../views/jurisdiction.view';
import { meetingView, type MeetingView } from '../views/meeting.view';
import type { OfficialView } from '../views/official.view';
import { organizationView, type OrganizationView } from '../views/organization.view';
import type { StatementView } from '../views/statement.view';
import { summarizeStats, type StatsView } from '../views/stats.view';
import { compiledOnce } from './compiled-once';
import { encodeCursor } from './cursor';
import type { JurisdictionFilters, ListParams, OfficialFilters, SortSpec } from './list-params';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const T = {
  jurisdictions: physicalName('jurisdictions'),
  officials: physicalName('officials'),
  officialBoycotts: physicalName('official_boycotts'),
  organizations: physicalName('organizations'),
  meetings: physicalName('meetings'),
  boycotts: physicalName('boycotts'),
  statements: physicalName('statements'),
  statementAbout: physicalName('statement_about'),
  statsTypes: physicalName('stats_types'),
};

/** How many statements a single view carries (newest first). */
export const STATEMENTS_IN_VIEW = 100;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Q = SelectQueryBuilder<any, any, any>;

/**
 * An equality filter. SQLite's planner prefers an index on the filtered column and then
 * sorts every match, even when the page could come straight off the sort's index with
 * LIMIT (e.g. `kind=county&sort=-lettersReceived` at 80k rows: 100 ms instead of 1). Unless
 * an index serves filter and sort together, the filter is written `+col = ?`, which keeps
 * SQLite on the sort's index. PostgreSQL weighs this from its statistics.
 */
function equals(q: Q, dialect: string, table: TableSpec, column: string, sortColumn: string, value: unknown): Q {
  const served = (table.indexes ?? []).some((i) => i.columns[0] === column && i.columns[1] === sortColumn);
  if (dialect !== 'sqlite' || served) return q.where(column, '=', value);
  return q.where(sql<boolean>`+${sql.ref(column)} = ${value}`);
}

function likePattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * LIMIT written into the SQL rather than bound. SQLite runs the single view's statements
 * query (`… ORDER BY occurred_sort DESC, event_id DESC LIMIT ?`) at about half the speed of
 * the same text with `LIMIT 100`, with the same plan (1M-event read model, alternating
 * runs: 28–40 against 17–25 µs); list pages gain less. Limits are integers the code or the
 * list parser chose, so there is nothing to escape; anything else is refused.
 */
function limitOf(n: number) {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`limit must be a non-negative integer, not ${n}`);
  return sql.lit(n);
}

/** Rows after the cursor in the sort order, ties broken by id. */
function keyset(query: Q, sort: SortSpec, params: ListParams<unknown>): Q {
  const dir = sort.descending ? 'desc' : 'asc';
  let q = query.select(`${sort.column} as sort_value`);
  const cursor = params.cursor;
  if (cursor) {
    const op = sort.descending ? '<' : '>';
    q =
      sort.column === 'id'
        ? q.where('id', op, cursor.id)
        : q.where((eb) => eb.or([eb(sort.column, op, cursor.value), eb.and([eb(sort.column, '=', cursor.value), eb('id', op, cursor.id)])]));
  }
  if (sort.column !== 'id') q = q.orderBy(sort.column, dir);
  return q.orderBy('id', dir).limit(limitOf(params.limit + 1));
}

/** A page as JSON text: the stored item documents are spliced in, never parsed and serialized again. */
function pageJson(rows: { id: string; doc: string; sort_value: unknown }[], params: ListParams<unknown>): string {
  const more = rows.length > params.limit;
  const shown = more ? rows.slice(0, params.limit) : rows;
  const last = shown[shown.length - 1];
  const value = last && (params.sort.numeric ? num(last.sort_value) : String(last.sort_value));
  const cursor = more && last ? encodeCursor(params.sort, value, String(last.id)) : null;
  return `{"items":[${shown.map((r) => r.doc).join(',')}],"nextCursor":${JSON.stringify(cursor)}}`;
}

/** The stored documents of rows (a statement without one, e.g. retracted, is left out). */
function documents(rows: { view: unknown }[]): string[] {
  return rows.map((r) => r.view).filter((v): v is string => typeof v === 'string');
}

/** `{…view}` + more fields → one JSON object, without parsing the stored view. */
function extend(viewJson: string, extra: Record<string, string>): string {
  const fields = Object.entries(extra).map(([k, v]) => `${JSON.stringify(k)}:${v}`);
  return fields.length ? `${viewJson.slice(0, -1)},${fields.join(',')}}` : viewJson;
}

/**
 * Reads the stored views. Rows carry the facts they were derived from; the view is
 * derived again on read by the same function the projection used, so the two never differ.
 */
export class ProjectionQueries {
  constructor(private readonly readModel: ReadModelDb) {}

  // The single-view GET's point queries, compiled once (see compiledOnce).
  private readonly jurisdictionViewRow = compiledOnce<{ view: string }>(
    this.readModel,
    1,
    (id) => this.db.selectFrom(T.jurisdictions).select('view').where('id', '=', id).where('registered', '=', 1),
  );
  private readonly newestStatementsAbout = compiledOnce<{ view: string | null }>(
    this.readModel,
    1,
    (ref) => this.statementsAboutQuery(ref, STATEMENTS_IN_VIEW),
  );

  private get db() {
    return this.readModel.reads;
  }

  async listJurisdictions(params: ListParams<JurisdictionFilters>): Promise<Page<JurisdictionSummary>> {
    return JSON.parse(await this.listJurisdictionsJson(params)) as Page<JurisdictionSummary>;
  }

  /** The list as JSON text (items are the stored summaries). */
  async listJurisdictionsJson(params: ListParams<JurisdictionFilters>): Promise<string> {
    const f = params.filters;
    const by = (q: Q, column: string, value: unknown) => equals(q, this.readModel.dialect, JURISDICTIONS_TABLE, column, params.sort.column, value);
    let q: Q = this.db.selectFrom(T.jurisdictions).select(['id', 'summary as doc']).where(sql<boolean>`registered = 1`);
    if (f.state) q = by(q, 'state', f.state);
    if (f.kind) q = by(q, 'kind', f.kind);
    if (f.status) q = by(q, 'status', f.status);
    if (f.threatened === 'subpoena') q = by(q, 'subpoena_threatened', 1);
    if (f.threatened === 'funding') q = by(q, 'funding_threatened', 1);
    if (f.q) q = q.where(sql<boolean>`name_key like ${likePattern(f.q)} escape '\\'`);
    return pageJson((await keyset(q, params.sort, params).execute()) as never, params);
  }

  async getJurisdiction(id: string): Promise<(JurisdictionView & { statementCount: number }) | null> {
    const json = await this.getJurisdictionJson(id);
    return json === null ? null : (JSON.parse(json) as JurisdictionView & { statementCount: number });
  }

  /** The single view as JSON text: the stored view plus the newest statements about it. */
  async getJurisdictionJson(id: string): Promise<string | null> {
    const [row] = await this.jurisdictionViewRow(id);
    if (!row) return null;
    const ref = `jurisdiction:${id}`;
    const statements = documents(await this.newestStatementsAbout(ref));
    const count =
      statements.length < STATEMENTS_IN_VIEW
        ? statements.length
        : num((await this.db.selectFrom(T.statementAbout).select((eb) => eb.fn.countAll().as('n')).where('ref', '=', ref).executeTakeFirst())?.n ?? 0);
    return extend(String(row.view), { statements: `[${statements.join(',')}]`, statementCount: String(count) });
  }

  async listOfficials(params: ListParams<OfficialFilters>): Promise<Page<OfficialView>> {
    return JSON.parse(await this.listOfficialsJson(params)) as Page<OfficialView>;
  }

  async listOfficialsJson(params: ListParams<OfficialFilters>): Promise<string> {
    const f = params.filters;
    const by = (q: Q, column: string, value: unknown) => equals(q, this.readModel.dialect, OFFICIALS_TABLE, column, params.sort.column, value);
    let q: Q = this.db.selectFrom(T.officials).select(['id', 'view as doc']).where(sql<boolean>`registered = 1`);
    if (f.party) q = by(q, 'party', f.party);
    if (f.organization) q = by(q, 'organization', f.organization);
    if (f.boycotted) {
      const meetingId = f.boycotted;
      q = q.where((eb) =>
        eb.exists(eb.selectFrom(`${T.officialBoycotts} as b`).select('b.official_id').whereRef('b.official_id', '=', `${T.officials}.id`).where('b.meeting_id', '=', meetingId)),
      );
    }
    if (f.q) q = q.where(sql<boolean>`name_key like ${likePattern(f.q)} escape '\\'`);
    return pageJson((await keyset(q, params.sort, params).execute()) as never, params);
  }

  async getOfficial(id: string): Promise<OfficialView | null> {
    const json = await this.getOfficialJson(id);
    return json === null ? null : (JSON.parse(json) as OfficialView);
  }

  async getOfficialJson(id: string): Promise<string | null> {
    const row = await this.db.selectFrom(T.officials).select('view').where('id', '=', id).where('registered', '=', 1).executeTakeFirst();
    if (!row) return null;
    const statements = await this.statementDocsBy(`official:${id}`, STATEMENTS_IN_VIEW);
    return extend(String(row.view), { statements: `[${statements.join(',')}]` });
  }

  async getOrganization(id: string): Promise<OrganizationView | null> {
    const row = await this.db.selectFrom(T.organizations).select('facts').where('id', '=', id).where('registered', '=', 1).executeTakeFirst();
    if (!row) return null;
    const [officials, statements] = await Promise.all([
      this.db.selectFrom(T.officials).select(['id', 'name', 'title', 'party']).where('organization', '=', id).where('registered', '=', 1).orderBy('id').execute(),
      this.statementsBy(`organization:${id}`, STATEMENTS_IN_VIEW),
    ]);
    return {
      ...organizationView(JSON.parse(row.facts) as StreamFacts),
      officials: officials.map((o) => ({ id: String(o.id), name: o.name ?? null, title: o.title ?? null, party: String(o.party) })),
      statements,
    };
  }

  async getMeeting(id: string): Promise<MeetingView | null> {
    const row = await this.db.selectFrom(T.meetings).select('facts').where('id', '=', id).where('registered', '=', 1).executeTakeFirst();
    if (!row) return null;
    const boycottRows = await this.db.selectFrom(T.boycotts).select('facts').where('meeting_id', '=', id).where('retracted', '=', 0).execute();
    const boycotts = boycottRows.map((r) => boycottView(JSON.parse(r.facts) as EventFacts)).filter((b): b is BoycottView => b !== null);
    const ids = [...new Set(boycotts.map((b) => b.officialId))];
    const officials = ids.length
      ? await this.db.selectFrom(T.officials).select(['id', 'name', 'party']).where('id', 'in', ids).execute()
      : [];
    return meetingView(JSON.parse(row.facts) as StreamFacts, boycotts, new Map(officials.map((o) => [String(o.id), { name: o.name ?? null, party: String(o.party) }])));
  }

  async getStats(): Promise<StatsView> {
    const db = this.db;
    const count = async (table: string, where: [string, number]) =>
      num((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where(where[0], '=', where[1]).executeTakeFirst())?.n ?? 0);
    const [types, jurisdictions, officials, organizations, meetings, statements, boycotts] = await Promise.all([
      db.selectFrom(T.statsTypes).select(['type', 'total', 'live']).execute(),
      db
        .selectFrom(T.jurisdictions)
        .select(['state', 'status', 'kind', (eb) => eb.fn.countAll().as('n')])
        .where('registered', '=', 1)
        .groupBy(['state', 'status', 'kind'])
        .execute(),
      db.selectFrom(T.officials).select(['party', (eb) => eb.fn.countAll().as('n')]).where('registered', '=', 1).groupBy('party').execute(),
      count(T.organizations, ['registered', 1]),
      count(T.meetings, ['registered', 1]),
      count(T.statements, ['retracted', 0]),
      count(T.boycotts, ['retracted', 0]),
    ]);
    return summarizeStats({
      types: types.map((t) => ({ type: String(t.type), total: num(t.total), live: num(t.live) })),
      jurisdictions: jurisdictions.map((j) => ({ state: j.state ?? null, status: String(j.status), kind: j.kind ?? null, n: num(j.n) })),
      officials: officials.map((o) => ({ party: String(o.party), n: num(o.n) })),
      organizations,
      meetings,
      statements,
      boycotts,
    });
  }

  /** Live statements about a reference, newest first. */
  async statementsAbout(ref: string, limit: number): Promise<StatementView[]> {
    return (await this.statementDocsAbout(ref, limit)).map((d) => JSON.parse(d) as StatementView);
  }

  async statementsBy(speaker: string, limit: number): Promise<StatementView[]> {
    return (await this.statementDocsBy(speaker, limit)).map((d) => JSON.parse(d) as StatementView);
  }

  private async statementDocsAbout(ref: string, limit: number): Promise<string[]> {
    const rows = await this.statementsAboutQuery(ref, limit).execute();
    return documents(rows);
  }

  /** The documents of the statements about a reference, newest first. */
  private statementsAboutQuery(ref: string, limit: number) {
    return this.db
      .selectFrom(`${T.statementAbout} as a`)
      .innerJoin(`${T.statements} as s`, 's.event_id', 'a.event_id')
      .select('s.view')
      .where('a.ref', '=', ref)
      .orderBy('a.occurred_sort', 'desc')
      .orderBy('a.event_id', 'desc')
      .limit(limitOf(limit));
  }

  private async statementDocsBy(speaker: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom(T.statements)
      .select('view')
      .where('speaker', '=', speaker)
      .where('retracted', '=', 0)
      .orderBy('occurred_sort', 'desc')
      .orderBy('event_id', 'desc')
      .limit(limitOf(limit))
      .execute();
    return documents(rows);
  }
}
