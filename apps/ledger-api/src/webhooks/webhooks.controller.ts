import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ValidationFailed, type FieldError } from '@ledger/domain';
import { WEBHOOK_RUNTIME, type WebhookRuntime } from '@ledger/webhooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Identity } from '../http/auth/api-keys';
import { CurrentIdentity } from '../http/auth/identity.decorator';
import { Roles } from '../http/auth/roles.decorator';
import { UuidPipe } from '../writes/slug.pipe';
import { CreateWebhookBody, ReplayBody, RotateSecretBody, UpdateWebhookBody } from './webhook-dtos';

const MAX_PAGE = 100;

/**
 * Webhook subscriptions (admin only). Every change is recorded in the ledger's
 * webhook-<id> stream with the caller's name; the secret is shown once, on creation and
 * on rotation, and is never recorded.
 */
@ApiTags('webhooks')
@Roles('admin')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(@Inject(WEBHOOK_RUNTIME) private readonly webhooks: WebhookRuntime) {}

  private caller(identity: Identity, request: FastifyRequest) {
    return { name: identity.name, correlationId: String(request.id) };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Subscribe a URL; the answer carries the signing secret, shown this once' })
  async create(
    @Body() body: CreateWebhookBody,
    @CurrentIdentity() identity: Identity,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.webhooks.admin.create(body, this.caller(identity, request));
    void reply.header('location', `/v1/webhooks/${created.id}`);
    return created;
  }

  @Get()
  @ApiOperation({ summary: 'Subscriptions in creation order (cursor, limit ≤ 100)' })
  list(@Query() query: Record<string, string>) {
    const { cursor, limit } = pageQuery(query, []);
    return this.webhooks.admin.list({ cursor, limit });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription, with counts of its messages by status' })
  get(@Param('id', UuidPipe) id: string) {
    return this.webhooks.admin.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, filters or description, or switch deliveries off and on (enabled)' })
  update(@Param('id', UuidPipe) id: string, @Body() body: UpdateWebhookBody, @CurrentIdentity() identity: Identity, @Req() request: FastifyRequest) {
    return this.webhooks.admin.update(id, body, this.caller(identity, request));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe: pending messages are dropped and the secret erased' })
  async remove(@Param('id', UuidPipe) id: string, @CurrentIdentity() identity: Identity, @Req() request: FastifyRequest): Promise<void> {
    await this.webhooks.admin.remove(id, this.caller(identity, request));
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new secret, shown once; the old one keeps signing for overlapSeconds (both signatures are sent)' })
  rotate(@Param('id', UuidPipe) id: string, @Body() body: RotateSecretBody, @CurrentIdentity() identity: Identity, @Req() request: FastifyRequest) {
    return this.webhooks.admin.rotateSecret(id, this.caller(identity, request), body.overlapSeconds);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery attempts, newest first: time, status code, latency, error (status=delivered,failed,dead,disabled; cursor; limit ≤ 100)' })
  deliveries(@Param('id', UuidPipe) id: string, @Query() query: Record<string, string>) {
    const { cursor, limit } = pageQuery(query, ['status']);
    return this.webhooks.admin.deliveries(id, { status: query.status, cursor, limit });
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send matching events again from fromPosition (or record time from), up to to/toPosition' })
  replay(@Param('id', UuidPipe) id: string, @Body() body: ReplayBody) {
    return this.webhooks.admin.replay(id, body);
  }
}

/** cursor and limit, plus the route's own parameters; anything else is refused. */
function pageQuery(query: Record<string, string>, own: string[]): { cursor?: string; limit: number } {
  const errors: FieldError[] = [];
  for (const key of Object.keys(query)) {
    if (![...own, 'cursor', 'limit'].includes(key)) errors.push({ field: key, reasons: [`${key} is not a known parameter`] });
    else if (typeof query[key] !== 'string') errors.push({ field: key, reasons: [`${key} must be given once`] });
  }
  let limit = 50;
  if (query.limit !== undefined) {
    limit = Number(query.limit);
    if (!/^\d+$/.test(String(query.limit)) || limit < 1 || limit > MAX_PAGE) errors.push({ field: 'limit', reasons: [`limit must be an integer from 1 to ${MAX_PAGE}`] });
  }
  if (errors.length) throw new ValidationFailed(errors);
  return { cursor: query.cursor, limit };
}
