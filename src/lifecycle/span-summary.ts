/**
 * The summary written on a tracked span as it ends (from
 * `SpanProcessor.onEnding`, while the span is still writable): what the span's
 * code started, how long it waited and ran, and what it left behind.
 */
import type { Span } from '@opentelemetry/api';
import { SummaryAttribute } from './attributes';
import type { SpanLifecycle } from './span-lifecycle';

/** Distinct resource types whose per-type attribute names are kept ready. */
const MAX_CACHED_TYPES = 256;

/** Milliseconds rounded to the microsecond: enough, and readable in a trace UI. */
function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * Writes summaries. It keeps the per-type attribute names it has built
 * (`async.resources.created_by_type.Timeout`, ...), so that ending a span does
 * not build and hash the same strings again; there are few resource types, and
 * the cache is bounded in case an application invents them by the thousand.
 */
export class SummaryWriter {
  readonly #createdKeys = new Map<string, string>();
  readonly #pendingKeys = new Map<string, string>();

  /**
   * Writes the summary of `lifecycle` on `span`. `pendingByType` counts the
   * span's resources still pending at its end, per type ([type, count, ...]). Timings appear once
   * a callback has run (running time only when `withRunning`: the full mode
   * hooks `after`); per-type and overflow counts only when non-zero.
   * Attributes are set one by one: no intermediate object.
   */
  write(
    span: Span,
    lifecycle: SpanLifecycle,
    pendingByType: ReadonlyArray<string | number> | undefined,
    withRunning: boolean,
  ): void {
    span.setAttribute(SummaryAttribute.created, lifecycle.created);
    span.setAttribute(SummaryAttribute.callbacks, lifecycle.callbacks);
    const created = lifecycle.createdByType;
    for (let i = 0; i < created.length; i += 2) {
      span.setAttribute(this.#key(this.#createdKeys, SummaryAttribute.createdByType, created[i] as string), created[i + 1]);
    }
    let pending = 0;
    if (pendingByType !== undefined) {
      for (let i = 0; i < pendingByType.length; i += 2) {
        const count = pendingByType[i + 1] as number;
        span.setAttribute(this.#key(this.#pendingKeys, SummaryAttribute.pendingByType, pendingByType[i] as string), count);
        pending += count;
      }
    }
    span.setAttribute(SummaryAttribute.pending, pending);
    if (lifecycle.untracked > 0) span.setAttribute(SummaryAttribute.untracked, lifecycle.untracked);
    if (lifecycle.callbacks > 0) {
      span.setAttribute(SummaryAttribute.queuedTotal, ms(lifecycle.queuedTotal));
      span.setAttribute(SummaryAttribute.queuedMax, ms(lifecycle.queuedMax));
      if (withRunning) {
        span.setAttribute(SummaryAttribute.runningTotal, ms(lifecycle.runningTotal));
        span.setAttribute(SummaryAttribute.runningMax, ms(lifecycle.runningMax));
      }
    }
  }

  /** Writes `async.events.dropped` when events were written and some were not (over the budget or overwritten). */
  writeDropped(span: Span, dropped: number): void {
    if (dropped > 0) span.setAttribute(SummaryAttribute.eventsDropped, dropped);
  }

  #key(cache: Map<string, string>, prefix: string, type: string): string {
    let key = cache.get(type);
    if (key === undefined) {
      key = prefix + type;
      if (cache.size < MAX_CACHED_TYPES) cache.set(type, key);
    }
    return key;
  }
}
