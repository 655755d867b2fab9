import { LedgerError } from '@ledger/domain';
import { parseMinPosition, parseSingleView, type KnownAt, type ProjectionsService } from '@ledger/projections';
import type { FastifyReply } from 'fastify';

/** Every query answer says how far its projections have read the log, so clients see staleness. */
export const POSITION_HEADER = 'x-projection-position';

/**
 * Read-your-writes: waits (bounded) until the projections behind a route reach the
 * request's minPosition, then sets the position header. Returns the position served.
 */
export async function awaitProjections(
  projections: ProjectionsService,
  names: readonly string[],
  query: Record<string, unknown>,
  reply: FastifyReply,
): Promise<number> {
  const position = await projections.tracker.waitFor(names, parseMinPosition(query.minPosition));
  void reply.header(POSITION_HEADER, String(position));
  return position;
}

/** `?asOf=&knownAt=` on a single view; null when neither is given. */
export function pointInTime(query: Record<string, unknown>): KnownAt | null {
  const { asOf, knownAt } = parseSingleView(query);
  return asOf === undefined && knownAt === undefined ? null : { asOf, knownAt };
}

export function found<T>(value: T | null, code: string, what: string, id: string): T {
  if (value === null) throw new LedgerError(code, `No ${what} has id ${id}.`, { id });
  return value;
}

/**
 * Runs a read; tables that do not exist yet (a worker elsewhere has not set them up)
 * mean the projections are not ready: 503 with Retry-After rather than a 500.
 */
export async function read<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (/no such table|relation "proj_[a-z_]+" does not exist/.test(String((error as Error)?.message))) {
      throw new LedgerError('PROJECTION.BEHIND', 'The projections are not set up yet; retry.', { retryAfter: 1 });
    }
    throw error;
  }
}

/** Sends JSON text the read side assembled from stored documents (no parse, no re-serialize). */
export function sendJson(reply: FastifyReply, json: string): string {
  void reply.header('content-type', 'application/json; charset=utf-8');
  return json;
}
