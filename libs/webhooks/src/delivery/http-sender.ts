import { request, type Dispatcher } from 'undici';
import type { UrlGuard } from '../guard/url-guard';

export interface SendResult {
  /** The HTTP status, or null when no response came (refused, timed out, unreachable). */
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** The first bytes of the response body (up to the cap). */
  response: string | null;
  /** From Retry-After, for 429 and 503. */
  retryAfterMs: number | null;
}

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * One POST with one overall deadline: connecting, waiting for the response and reading
 * (at most `capBytes` of) its body all count against `timeoutMs`, so a hung or trickling
 * receiver costs one timeout. Redirects are not followed. Never throws.
 */
export class HttpSender {
  constructor(
    private readonly agent: Dispatcher,
    private readonly guard: UrlGuard,
    private readonly options: { timeoutMs: number; capBytes: number; now: () => number },
  ) {}

  /** `cancel` aborts the attempt early (the dispatcher is stopping). */
  async send(req: SendRequest, cancel?: AbortSignal): Promise<SendResult> {
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const onCancel = () => controller.abort();
    cancel?.addEventListener('abort', onCancel, { once: true });
    const done = (partial: Omit<SendResult, 'latencyMs'>): SendResult => ({ ...partial, latencyMs: Math.round(performance.now() - started) });
    try {
      // The URL is checked again on every attempt: the allow-list may have changed since.
      const target = this.guard.parse(req.url);
      const res = await request(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'policy-dispute-ledger-webhooks/1', ...req.headers },
        body: req.body,
        dispatcher: this.agent,
        signal: controller.signal,
        maxRedirections: 0,
      });
      const response = await readCapped(res.body, this.options.capBytes);
      const statusCode = res.statusCode;
      const ok = statusCode >= 200 && statusCode < 300;
      let error: string | null = null;
      if (statusCode >= 300 && statusCode < 400) error = `redirect not followed (${statusCode}${location(res.headers)})`;
      else if (!ok) error = `HTTP ${statusCode}`;
      const retryAfterMs = statusCode === 429 || statusCode === 503 ? parseRetryAfter(res.headers['retry-after'], this.options.now()) : null;
      return done({ statusCode, error, response, retryAfterMs });
    } catch (error) {
      const message = cancel?.aborted ? 'cancelled: the dispatcher is stopping'
        : controller.signal.aborted ? `timed out after ${this.options.timeoutMs} ms`
        : describeError(error);
      return done({ statusCode: null, error: message, response: null, retryAfterMs: null });
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    }
  }
}

/** Reads up to `cap` bytes, then drops the connection rather than read the rest. */
async function readCapped(body: Dispatcher.ResponseData['body'], cap: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    chunks.push(buf.subarray(0, cap - size));
    size += Math.min(buf.length, cap - size);
    if (size >= cap) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

function location(headers: Record<string, string | string[] | undefined>): string {
  const value = headers.location;
  return value ? ` to ${String(value).slice(0, 200)}` : '';
}

/** `Retry-After: 120` or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now: number): number | null {
  if (header === undefined) return null;
  const value = String(Array.isArray(header) ? header[0] : header).trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function describeError(error: unknown): string {
  const seen: string[] = [];
  let current = error as (Error & { code?: string; cause?: unknown }) | undefined;
  while (current && seen.length < 3) {
    const text = current.code && !String(current.message).includes(current.code) ? `${current.code}: ${current.message}` : String(current.message);
    if (text && !seen.includes(text)) seen.push(text);
    current = current.cause as typeof current;
  }
  return (seen.join(' — ') || 'request failed').slice(0, 500);
}
