import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { EventEnvelope } from '@ledger/domain';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';

/** A client this far behind is cut off; it resumes from its Last-Event-ID. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

/**
 * The open server-sent-event streams. Each event goes out as `id: <position>` and
 * `data: <envelope>` (the default `message` event, so EventSource.onmessage sees all).
 * A slow reader is not buffered without end: past the cap its stream is closed, and the
 * browser reconnects with Last-Event-ID. On shutdown every stream is ended, so the
 * server can close.
 */
@Injectable()
export class LiveStreams implements OnModuleDestroy {
  private readonly open = new Set<() => void>();

  get count(): number {
    return this.open.size;
  }

  start(reply: FastifyReply, events: Observable<EventEnvelope>, matches: (e: EventEnvelope) => boolean): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      subscription?.unsubscribe();
      clearInterval(heartbeat);
      this.open.delete(close);
      res.end();
    };
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.open.add(close);
    res.on('close', close);
    const subscription = events.subscribe({
      next: (event) => {
        if (closed || !matches(event)) return;
        res.write(`id: ${event.position}\ndata: ${JSON.stringify(event)}\n\n`);
        if (res.writableLength > MAX_BUFFERED_BYTES) close();
      },
      error: () => {
        if (!closed) res.write(`event: error\ndata: {"code":"STORE.UNAVAILABLE"}\n\n`);
        close();
      },
    });
    if (closed) subscription.unsubscribe();
  }

  onModuleDestroy(): void {
    for (const close of [...this.open]) close();
  }
}
