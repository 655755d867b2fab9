import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ValidationFailed } from '@ledger/domain';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '../problem';
import { addRequestTimeout } from './request-timeout';
import { MAX_PAGE_SIZE, type SecurityConfig } from './security-config';

export interface RouteEntry {
  method: string;
  url: string;
}

/** Every route Fastify serves, as it is added: the authorization matrix test walks this list. */
export function collectRoutes(fastify: FastifyInstance): RouteEntry[] {
  const routes: RouteEntry[] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url ?? route.path });
  });
  return routes;
}

const PAGE_PARAMS = ['limit', 'pageSize'];

/**
 * Security headers (helmet's defaults, which suit the JSON API and the Swagger UI), CORS
 * only for configured origins, a request id on every answer, a handler timeout, and a cap
 * on page sizes that holds for every list route, including ones added later.
 */
export async function hardenHttp(app: NestFastifyApplication, config: SecurityConfig): Promise<void> {
  // helmet's headers depend on its options only, not on the request: taken once here and
  // set in one call per request (the Fastify plugin rebuilt helmet's middleware every time).
  const securityHeaders = helmetHeaders({
    // The ledger is often served over plain HTTP on loopback or behind a TLS proxy; upgrading
    // /docs' asset requests to https would break the Swagger UI there.
    contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } },
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(securityHeaders);
    done();
  });
  if (config.corsOrigins.length) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'if-match', 'last-event-id'],
      exposedHeaders: ['etag', 'retry-after', 'x-request-id', 'idempotent-replay'],
      maxAge: 600,
    });
  }
  addRequestTimeout(fastify, config.requestTimeoutMs);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
    const query = request.query as Record<string, unknown> | undefined;
    for (const name of PAGE_PARAMS) {
      const value = query?.[name];
      if (typeof value === 'string' && /^\d+$/.test(value.trim()) && Number(value) > MAX_PAGE_SIZE) {
        throw new ValidationFailed([{ field: name, reasons: [`${name} must not exceed ${MAX_PAGE_SIZE}`] }]);
      }
    }
  });
}

/** The headers helmet sets for these options, read off a stand-in response. */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => (failure = error));
  if (failure) throw failure;
  return headers;
}

/**
 * Fastify answers a URL it cannot route (bad percent-encoding, a path parameter over
 * maxParamLength) before any hook or Nest filter runs; this makes that answer a problem
 * like every other, without echoing the URL back.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const reason = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is too long' : 'the URL could not be decoded';
  const body = { ...problem('REQUEST.INVALID', `The URL is not valid: ${reason}.`, [{ field: '(path)', reasons: [reason] }]), requestId: String(request.id) };
  void reply.code(400).header('content-type', 'application/problem+json; charset=utf-8').header('x-request-id', String(request.id)).send(body);
}
