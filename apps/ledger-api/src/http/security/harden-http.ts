import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ValidationFailed } from '@ledger/domain';
import type { FastifyInstance } from 'fastify';
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
 * Security headers (helmet's defaults suit the JSON API and the Swagger UI at /docs), CORS
 * only for configured origins, a request id on every answer, and a cap on page sizes
 * that holds for every list route, including ones added later.
 */
export async function hardenHttp(app: NestFastifyApplication, config: SecurityConfig): Promise<void> {
  await app.register(helmet, { global: true });
  if (config.corsOrigins.length) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'if-match', 'last-event-id'],
      exposedHeaders: ['etag', 'retry-after', 'x-request-id', 'idempotent-replay'],
      maxAge: 600,
    });
  }
  const fastify = app.getHttpAdapter().getInstance();
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
