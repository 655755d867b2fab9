import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { SSE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { LedgerError } from '@ledger/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { SECURITY_CONFIG, type SecurityConfig } from './security-config';

export const NO_TIMEOUT_KEY = 'ledger:no-timeout';

/** The route runs for as long as it needs (a live stream): no handler timeout. */
export const NoTimeout = () => SetMetadata(NO_TIMEOUT_KEY, true);

/**
 * A handler that has not answered within the limit gets 503 REQUEST.TIMEOUT, so that one
 * stuck request cannot hold a client forever. Once a response has begun (an export that
 * streams), it is left to finish: cutting it would leave a half-written body.
 * A streamed request body (an NDJSON import) has its own byte cap instead, and server-sent
 * event routes are exempt. A write that times out may still commit; the client retries with
 * the same eventId.
 */
@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const limit = this.config.requestTimeoutMs;
    const handler = context.getHandler();
    const http = context.switchToHttp();
    const streamedBody = typeof (http.getRequest<FastifyRequest>().body as { pipe?: unknown } | undefined)?.pipe === 'function';
    const exempt =
      streamedBody ||
      Reflect.getMetadata(SSE_METADATA, handler) === true ||
      this.reflector.getAllAndOverride<boolean>(NO_TIMEOUT_KEY, [handler, context.getClass()]);
    if (!limit || exempt) return next.handle();
    const reply = http.getResponse<FastifyReply>();
    return new Observable((subscriber) => {
      const timer = setTimeout(() => {
        if (reply.sent || reply.raw.headersSent) return;
        inner.unsubscribe();
        subscriber.error(new LedgerError('REQUEST.TIMEOUT', `The request took longer than ${limit} ms.`, { retryAfter: 1 }));
      }, limit);
      timer.unref();
      const inner = next.handle().subscribe({
        next: (value) => {
          clearTimeout(timer);
          subscriber.next(value);
        },
        error: (error) => {
          clearTimeout(timer);
          subscriber.error(error);
        },
        complete: () => {
          clearTimeout(timer);
          subscriber.complete();
        },
      });
      return () => {
        clearTimeout(timer);
        inner.unsubscribe();
      };
    });
  }
}
