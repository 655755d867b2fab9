import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { LedgerError, ValidationFailed, type FieldError } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { BOOKKEEPING_TYPES, compileFilter, filterErrors, type SubscriptionFilter } from '@ledger/webhooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Identity } from '../http/auth/api-keys';
import { CurrentIdentity } from '../http/auth/identity.decorator';
import { Roles } from '../http/auth/roles.decorator';
import { LiveStreams } from './live-streams';

const LIST_PARAMS = ['eventTypes', 'jurisdictions', 'actors'] as const;

/**
 * New appends as server-sent events, filtered as webhook subscriptions are (eventTypes,
 * jurisdictions, actors: comma-separated or repeated). Each event's id is its position;
 * a client that reconnects with Last-Event-ID (or ?lastEventId=) gets everything after
 * it, so nothing is missed across a reconnect. Without one, the stream starts at the head.
 */
@ApiTags('live')
@Roles('analyst')
@Controller('v1/live')
export class LiveController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly streams: LiveStreams,
  ) {}

  @Get()
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this position' })
  @ApiOperation({ summary: 'Server-sent events of new appends (eventTypes, jurisdictions, actors, lastEventId)' })
  async live(
    @Query() query: Record<string, string | string[]>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentIdentity() identity: Identity,
  ): Promise<void> {
    const { filter, lastEventId } = parseLiveQuery(query, request.headers['last-event-id']);
    const bookkeeping = filter.eventTypes.filter((t) => BOOKKEEPING_TYPES.includes(t));
    if (bookkeeping.length && !identity.roles.some((r) => r === 'admin' || r === 'auditor')) {
      throw new LedgerError('AUTH.FORBIDDEN', `${bookkeeping.join(', ')} events need the admin or auditor role.`, { needed: ['admin', 'auditor'] });
    }
    const compiled = compileFilter(filter);
    const after = lastEventId ?? (await this.store.headPosition());
    this.streams.start(reply, this.store.subscribe(after, compiled.store), compiled.matches);
  }
}

export function parseLiveQuery(query: Record<string, string | string[]>, header: string | string[] | undefined) {
  const errors: FieldError[] = [];
  const lists: Record<string, string[]> = {};
  for (const key of Object.keys(query)) {
    if (![...LIST_PARAMS, 'lastEventId'].includes(key)) errors.push({ field: key, reasons: [`${key} is not a known parameter`] });
  }
  for (const key of LIST_PARAMS) {
    const raw = query[key];
    lists[key] = raw === undefined ? [] : ([] as string[]).concat(raw).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  }
  const filter: SubscriptionFilter = { eventTypes: lists.eventTypes, jurisdictions: lists.jurisdictions, actors: lists.actors };
  errors.push(...filterErrors(filter));
  const given = header ?? query.lastEventId;
  let lastEventId: number | undefined;
  if (given !== undefined) {
    const text = String(Array.isArray(given) ? given[0] : given).trim();
    lastEventId = Number(text);
    if (!/^-?\d+$/.test(text) || lastEventId < -1 || !Number.isSafeInteger(lastEventId)) {
      errors.push({ field: 'Last-Event-ID', reasons: ['Last-Event-ID must be a position (an integer) from an earlier event'] });
    }
  }
  if (errors.length) throw new ValidationFailed(errors);
  return { filter, lastEventId };
}
