import type { EventEnvelope } from '@ledger/domain';
import { Observable, type Observable as Obs } from 'rxjs';

export interface CatchUpPage {
  /** Committed events after the position asked, in order, filter applied. */
  events: EventEnvelope[];
  /**
   * The last position the read looked at. When the page is short, every position up to
   * here has been seen, matching or not: the next read starts after it.
   */
  through: number;
}

export interface CatchUpOptions {
  after: number;
  readPage: (after: number, limit: number) => CatchUpPage | Promise<CatchUpPage>;
  /** Emits when this process appended something. */
  wakeUps: Obs<void>;
  /** Also look every so often, for appends made by other processes. */
  pollIntervalMs: number;
  pageSize?: number;
}

/**
 * Catch-up and live are one loop: read pages after the last position delivered until a
 * page comes back short, then wait for a wake-up or the poll timer and read again. Since
 * both phases read the committed log after the last delivered position, the switch has
 * no gap and no duplicate.
 */
export function catchUpThenFollow(options: CatchUpOptions): Observable<EventEnvelope> {
  const pageSize = options.pageSize ?? 500;
  return new Observable<EventEnvelope>((subscriber) => {
    let last = options.after;
    let running = false;
    let again = false;
    let stopped = false;

    const pump = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          for (;;) {
            const page = await options.readPage(last, pageSize);
            for (const event of page.events) {
              if (stopped) return;
              last = event.position;
              subscriber.next(event);
            }
            if (page.events.length < pageSize) {
              last = Math.max(last, page.through);
              break;
            }
            await new Promise((r) => setImmediate(r)); // let the process breathe during a long catch-up
          }
        } while (again && !stopped);
      } catch (error) {
        if (!stopped) subscriber.error(error);
      } finally {
        running = false;
      }
    };

    const wake = options.wakeUps.subscribe(() => void pump());
    const timer = setInterval(() => void pump(), options.pollIntervalMs);
    timer.unref();
    void pump();
    return () => {
      stopped = true;
      wake.unsubscribe();
      clearInterval(timer);
    };
  });
}
