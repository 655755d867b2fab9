import { LedgerError } from '@ledger/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from '../problem';

/**
 * A handler that has not answered within the limit gets 503 REQUEST.TIMEOUT, so that one
 * stuck request cannot hold a client forever. Once a response has begun (an export, a live
 * stream) it is left to finish: cutting it would leave a half-written body. A streamed
 * request body (an NDJSON import) has its own byte cap instead. A write that times out may
 * still commit; the client retries with the same eventId.
 *
 * Done with Fastify hooks rather than a Nest interceptor (which put every request through
 * rxjs and an AsyncResource), and with one sweep over the requests in flight rather than a
 * timer per request: a timer set and cleared on every request was itself a visible cost of
 * a cheap read. The answer comes between `limitMs` and `limitMs` plus a quarter of it.
 */
export function addRequestTimeout(fastify: FastifyInstance, limitMs: number): void {
  if (!limitMs) return;
  const inFlight = new Map<FastifyRequest, { reply: FastifyReply; deadline: number }>();
  const sweepMs = Math.max(10, Math.min(1000, Math.floor(limitMs / 4)));
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = () => {
    const now = Date.now();
    for (const [request, { reply, deadline }] of inFlight) {
      if (deadline > now) continue;
      inFlight.delete(request);
      if (reply.sent || reply.raw.headersSent || reply.raw.destroyed) continue;
      const error = new LedgerError('REQUEST.TIMEOUT', `The request took longer than ${limitMs} ms.`, { retryAfter: 1 });
      const body = { ...toProblem(error), instance: request.url?.split('?')[0], requestId: String(request.id) };
      void reply.code(503).header('retry-after', '1').header('content-type', 'application/problem+json; charset=utf-8').send(body);
    }
    if (inFlight.size === 0) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };
  fastify.addHook('preHandler', (request, reply, done) => {
    if (typeof (request.body as { pipe?: unknown } | undefined)?.pipe === 'function') return done();
    inFlight.set(request, { reply, deadline: Date.now() + limitMs });
    if (!sweeper) {
      sweeper = setInterval(sweep, sweepMs);
      sweeper.unref();
    }
    done();
  });
  const settle = (request: FastifyRequest, _reply: unknown, done: () => void) => {
    inFlight.delete(request);
    done();
  };
  fastify.addHook('onResponse', settle);
  fastify.addHook('onRequestAbort', (request, done) => settle(request, undefined, done));
  fastify.addHook('onClose', (_instance, done) => {
    clearInterval(sweeper);
    done();
  });
}
