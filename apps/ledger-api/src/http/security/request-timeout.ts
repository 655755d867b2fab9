import { LedgerError } from '@ledger/domain';
import type { FastifyInstance } from 'fastify';
import { toProblem } from '../problem';

const TIMER = Symbol('ledger.requestTimer');

/**
 * A handler that has not answered within the limit gets 503 REQUEST.TIMEOUT, so that one
 * stuck request cannot hold a client forever. Once a response has begun (an export, a live
 * stream) it is left to finish: cutting it would leave a half-written body. A streamed
 * request body (an NDJSON import) has its own byte cap instead. A write that times out may
 * still commit; the client retries with the same eventId.
 *
 * Done with Fastify hooks rather than a Nest interceptor: an interceptor puts every request
 * through an rxjs pipeline and an AsyncResource, a measurable share of a cheap read's cost.
 */
export function addRequestTimeout(fastify: FastifyInstance, limitMs: number): void {
  if (!limitMs) return;
  fastify.addHook('preHandler', (request, reply, done) => {
    if (typeof (request.body as { pipe?: unknown } | undefined)?.pipe === 'function') return done();
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent || reply.raw.destroyed) return;
      const error = new LedgerError('REQUEST.TIMEOUT', `The request took longer than ${limitMs} ms.`, { retryAfter: 1 });
      const body = { ...toProblem(error), instance: request.url?.split('?')[0], requestId: String(request.id) };
      void reply.code(503).header('retry-after', '1').header('content-type', 'application/problem+json; charset=utf-8').send(body);
    }, limitMs);
    timer.unref();
    (request as unknown as Record<symbol, NodeJS.Timeout>)[TIMER] = timer;
    done();
  });
  const clear = (request: object, _reply: unknown, done: () => void) => {
    clearTimeout((request as Record<symbol, NodeJS.Timeout | undefined>)[TIMER]);
    done();
  };
  fastify.addHook('onResponse', clear);
  fastify.addHook('onRequestAbort', (request, done) => clear(request, undefined, done));
}
