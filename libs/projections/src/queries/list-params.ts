import { isISO8601 } from 'class-validator';
import { DATE_OR_TIMESTAMP, isSlug, JURISDICTION_KINDS, PARTIES, ValidationFailed, type FieldError } from '@ledger/domain';
import { JURISDICTION_STATUSES } from '../views/jurisdiction.view';
import { decodeCursor, type Cursor } from './cursor';

export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 50;

/** Parameters every query route accepts besides its own. */
export const COMMON_PARAMS = ['minPosition'] as const;

export interface SortSpec {
  key: string;
  column: string;
  numeric: boolean;
  descending: boolean;
}

export interface ListParams<F> {
  filters: F;
  sort: SortSpec;
  cursor: Cursor | null;
  limit: number;
}

export interface JurisdictionFilters {
  state?: string;
  kind?: string;
  status?: string;
  threatened?: 'subpoena' | 'funding';
  q?: string;
}

export interface OfficialFilters {
  party?: string;
  organization?: string;
  boycotted?: string;
  q?: string;
}

type Query = Record<string, unknown>;

/** Sort keys as the API names them → column and type. Every sort ends with the id, so order is total. */
export const JURISDICTION_SORTS: Record<string, { column: string; numeric: boolean }> = {
  id: { column: 'id', numeric: false },
  name: { column: 'name_key', numeric: false },
  state: { column: 'state', numeric: false },
  status: { column: 'status', numeric: false },
  lettersReceived: { column: 'letters_received', numeric: true },
  lastActivityAt: { column: 'last_activity_sort', numeric: true },
  nextDeadlineAt: { column: 'next_deadline_sort', numeric: true },
};

export const OFFICIAL_SORTS: Record<string, { column: string; numeric: boolean }> = {
  id: { column: 'id', numeric: false },
  name: { column: 'name_key', numeric: false },
  statementCount: { column: 'statement_count', numeric: true },
  lastActivityAt: { column: 'last_activity_sort', numeric: true },
};

class Checker {
  readonly errors: FieldError[] = [];
  constructor(private readonly query: Query, known: readonly string[]) {
    for (const key of Object.keys(query)) {
      if (!known.includes(key)) this.fail(key, `${key} is not a known parameter; known: ${known.join(', ')}`);
    }
  }
  fail(field: string, reason: string): void {
    this.errors.push({ field, reasons: [reason] });
  }
  string(name: string): string | undefined {
    const value = this.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.fail(name, `${name} may be given once`);
      return undefined;
    }
    return value;
  }
  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) this.fail(name, `${name} must be one of ${allowed.join(', ')}`);
    return value as T;
  }
  slug(name: string): string | undefined {
    const value = this.string(name);
    if (value !== undefined && !isSlug(value)) this.fail(name, `${name} must be a lower-case slug like "chicago-il"`);
    return value;
  }
  text(name: string, max: number): string | undefined {
    const value = this.string(name);
    if (value !== undefined && (value.trim().length === 0 || value.length > max)) this.fail(name, `${name} must be 1 to ${max} characters`);
    return value?.trim();
  }
  done(): void {
    if (this.errors.length) throw new ValidationFailed(this.errors, 'The query parameters are invalid.');
  }
}

/** `?minPosition=`: absent, or an integer ≥ -1. */
export function parseMinPosition(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d{1,16}$/.test(value) || Number(value) < -1) {
    throw new ValidationFailed([{ field: 'minPosition', reasons: ['minPosition must be an integer position (≥ -1)'] }], 'The query parameters are invalid.');
  }
  return Number(value);
}

function parsePaging(check: Checker, sorts: Record<string, { column: string; numeric: boolean }>, defaultSort: string) {
  const sortText = check.string('sort') ?? defaultSort;
  const descending = sortText.startsWith('-');
  const key = descending ? sortText.slice(1) : sortText;
  const known = sorts[key];
  if (!known) check.fail('sort', `sort must be one of ${Object.keys(sorts).join(', ')} (prefix - for descending)`);
  const sort: SortSpec = { key: sortText, column: known?.column ?? 'id', numeric: known?.numeric ?? false, descending };
  const limitText = check.string('limit');
  let limit = DEFAULT_LIMIT;
  if (limitText !== undefined) {
    limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1) check.fail('limit', 'limit must be a positive integer');
    else if (limit > MAX_LIMIT) check.fail('limit', `limit must be at most ${MAX_LIMIT}`);
  }
  const cursorText = check.string('cursor');
  let cursor: Cursor | null = null;
  if (cursorText !== undefined) {
    cursor = decodeCursor(cursorText, sort);
    if (!cursor) check.fail('cursor', 'cursor is malformed or belongs to another sort order; use nextCursor as given');
  }
  return { sort, limit, cursor };
}

export function parseJurisdictionList(query: Query): ListParams<JurisdictionFilters> {
  const check = new Checker(query, ['state', 'kind', 'status', 'threatened', 'q', 'sort', 'cursor', 'limit', ...COMMON_PARAMS]);
  const stateText = check.string('state');
  const state = stateText?.toUpperCase();
  if (state !== undefined && !/^[A-Z]{2}$/.test(state)) check.fail('state', 'state must be a two-letter postal code like "IL"');
  const filters: JurisdictionFilters = {
    state,
    kind: check.oneOf('kind', JURISDICTION_KINDS),
    status: check.oneOf('status', JURISDICTION_STATUSES),
    threatened: check.oneOf('threatened', ['subpoena', 'funding'] as const),
    q: check.text('q', 200),
  };
  const paging = parsePaging(check, JURISDICTION_SORTS, 'name');
  check.done();
  return { filters, ...paging };
}

export function parseOfficialList(query: Query): ListParams<OfficialFilters> {
  const check = new Checker(query, ['party', 'organization', 'boycotted', 'q', 'sort', 'cursor', 'limit', ...COMMON_PARAMS]);
  const filters: OfficialFilters = {
    party: check.oneOf('party', PARTIES),
    organization: check.slug('organization'),
    boycotted: check.slug('boycotted'),
    q: check.text('q', 200),
  };
  const paging = parsePaging(check, OFFICIAL_SORTS, 'name');
  check.done();
  return { filters, ...paging };
}

/** Single views take minPosition and the point-in-time pair. */
export function parseSingleView(query: Query): { asOf?: string; knownAt?: string } {
  const check = new Checker(query, ['asOf', 'knownAt', ...COMMON_PARAMS]);
  const time = (name: string) => {
    const value = check.string(name);
    // isISO8601 strict refuses calendar impossibilities (2018-02-30) that Date.parse rolls over.
    if (value !== undefined && (!DATE_OR_TIMESTAMP.test(value) || !isISO8601(value, { strict: true, strictSeparator: true }))) {
      check.fail(name, `${name} must be an ISO-8601 date (2018-01-24) or timestamp with zone`);
    }
    return value;
  };
  const result = { asOf: time('asOf'), knownAt: time('knownAt') };
  check.done();
  return result;
}
