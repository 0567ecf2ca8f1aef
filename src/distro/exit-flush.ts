/**
 * `ExitFlush`: delivers, synchronously and within a deadline, every span that ended and
 * that no exporter has confirmed, for the moments when the event loop will not turn
 * again: `'exit'` (from `process.exit()`, an uncaught exception, or the loop running
 * dry) and a signal that nobody handles, just before it is raised again.
 *
 * It takes the spans from the {@link SerialExporter}s (queued, in flight) and from the
 * batch processors (their buffer, through the provider's `forceFlush()`, which hands
 * it to `export()` synchronously while the serial exporters collect), and hands them
 * to each exporter's {@link ExitRoute}. A span still running is not ended for it.
 * A batch that was in flight is sent again: the collector may see it twice (at least
 * once, never lost for want of waiting).
 */
import { diag } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { deliverSync, type SyncRequest } from './export-worker';
import type { ExitRoute } from './exit-route';
import type { SerialExporter } from './serial-exporter';

/** One exporter, as the exit flush sees it. */
export interface ExitTarget {
  readonly serial: SerialExporter;
  readonly route: ExitRoute;
}

/** What one {@link ExitFlush.flush} did. */
export interface ExitFlushResult {
  /** Spans handed to a route. */
  readonly spans: number;
  /** Requests answered 2xx / not delivered. */
  readonly delivered: number;
  readonly failed: number;
  readonly timedOut: boolean;
}

/** See the module comment. */
export class ExitFlush {
  readonly #provider: { forceFlush(): Promise<void> };
  readonly #targets: readonly ExitTarget[];
  #running = false;

  constructor(provider: { forceFlush(): Promise<void> }, targets: readonly ExitTarget[]) {
    this.#provider = provider;
    this.#targets = targets;
  }

  /** Spans waiting in the serial exporters (the batch processors' buffers are not counted). */
  get pendingSpans(): number {
    return this.#targets.reduce((n, t) => n + t.serial.pendingSpans, 0);
  }

  /** The batch processors' buffers and the serial exporters' pending spans, per target. */
  #collect(): ReadableSpan[][] {
    for (const { serial } of this.#targets) serial.beginCollecting();
    try {
      this.#provider.forceFlush().catch(() => {});
    } catch (error) {
      diag.error('otel-async-context: forceFlush at exit failed', error);
    }
    return this.#targets.map(({ serial }) => serial.endCollecting());
  }

  /** Delivers everything ended and unconfirmed, blocking at most `timeoutMillis`. Never throws. */
  flush(timeoutMillis: number): ExitFlushResult {
    if (this.#running) return { spans: 0, delivered: 0, failed: 0, timedOut: false };
    this.#running = true;
    try {
      const batches = this.#collect();
      const requests: SyncRequest[] = [];
      let spans = 0;
      this.#targets.forEach(({ route }, i) => {
        const batch = batches[i]!;
        spans += batch.length;
        const request = route.deliver(batch);
        if (request !== undefined) requests.push(request);
      });
      const result = deliverSync(requests, timeoutMillis);
      if (result.timedOut) {
        diag.warn(`otel-async-context: the export at exit did not finish within ${timeoutMillis} ms; its spans may be lost`);
      } else if (result.failed > 0) {
        const why = result.error ?? `${result.failed} of ${requests.length} requests refused or failed`;
        diag.error('otel-async-context: the export at exit failed; its spans are lost', why);
      }
      return { spans, delivered: result.delivered, failed: result.failed, timedOut: result.timedOut };
    } catch (error) {
      diag.error('otel-async-context: the export at exit failed', error);
      return { spans: 0, delivered: 0, failed: 0, timedOut: false };
    } finally {
      this.#running = false;
    }
  }
}
