import autocannon from 'autocannon';

export interface LoadResult {
  ok: number;
  failed: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

/** autocannon against a URL for `seconds`, each request built by `request(i)`. */
export async function load(options: {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  request?: (i: number) => { path: string; body?: string };
  path?: string;
}): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        setupRequest: options.request
          ? (req: Record<string, unknown>) => {
              const next = options.request!(i++);
              return { ...req, path: next.path, body: next.body };
            }
          : undefined,
      },
    ],
  } as autocannon.Options);
  const ok = result['2xx'];
  const failed = result.non2xx + result.errors + result.timeouts;
  const seconds = result.duration;
  return { ok, failed, seconds, rps: ok / seconds, p50: result.latency.p50, p99: result.latency.p99 };
}
