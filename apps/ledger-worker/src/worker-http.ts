import { createServer, type Server } from 'node:http';
import { register } from 'prom-client';
import type { ProjectionsService } from '@ledger/projections';
import { collectProcessMetrics } from '@ledger/platform';

/** Optional /health and /metrics for a worker (LEDGER_WORKER_PORT), for orchestrators and Prometheus. */
export async function startWorkerHttp(projections: ProjectionsService, port: number, host: string): Promise<Server> {
  collectProcessMetrics();
  const server = createServer((req, res) => {
    const reply = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    (async () => {
      if (req.url === '/health') {
        const health = await projections.health();
        reply(health.ready ? 200 : 503, 'application/json', JSON.stringify({ status: health.ready ? 'ok' : 'degraded', ready: health.ready, projections: health }));
      } else if (req.url === '/metrics') {
        reply(200, register.contentType, await register.metrics());
      } else {
        reply(404, 'application/json', '{"status":404}');
      }
    })().catch((error) => reply(500, 'application/json', JSON.stringify({ error: String((error as Error).message) })));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}
