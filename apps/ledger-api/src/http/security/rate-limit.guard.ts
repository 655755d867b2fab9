import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { LedgerError } from '@ledger/domain';
import type { FastifyRequest } from 'fastify';
import { API_KEYS } from '../auth/api-key.guard';
import { findKey, type ApiKey } from '../auth/api-keys';

/**
 * One budget per caller across every route: per API key when keys are configured, per
 * client address otherwise (and for requests whose key is missing or wrong, so that a
 * flood of bad keys is limited too). Runs before the key guard.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(API_KEYS) private readonly keys: ApiKey[],
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const req = request as unknown as FastifyRequest;
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const key = match && this.keys.length ? findKey(this.keys, match[1]) : null;
    return key ? `key:${key.name}` : `address:${req.ip}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `${throttler}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new LedgerError('REQUEST.RATE_LIMITED', `More than ${detail.limit} requests a minute; retry in ${retryAfter} s.`, { retryAfter });
  }
}
