/**
 * The summary written on a tracked span as it ends (from
 * `SpanProcessor.onEnding`, while the span is still writable): what the span's
 * code started, how long it waited and ran, and what it left behind.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import { SummaryAttribute } from './attributes';
import type { SpanLifecycle } from './span-lifecycle';

/** Milliseconds rounded to the microsecond: enough, and readable in a trace UI. */
function ms(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * The summary attributes of `lifecycle`. `pendingByType` counts the span's
 * resources still pending at its end, per type. Timings appear once a
 * callback has run; per-type and overflow counts only when non-zero.
 */
export function summaryAttributes(lifecycle: SpanLifecycle, pendingByType: ReadonlyMap<string, number>): Attributes {
  const attributes: Attributes = {
    [SummaryAttribute.created]: lifecycle.created,
    [SummaryAttribute.callbacks]: lifecycle.callbacks,
  };
  for (const [type, count] of lifecycle.createdByType) attributes[SummaryAttribute.createdByType + type] = count;
  let pending = 0;
  for (const [type, count] of pendingByType) {
    attributes[SummaryAttribute.pendingByType + type] = count;
    pending += count;
  }
  attributes[SummaryAttribute.pending] = pending;
  if (lifecycle.untracked > 0) attributes[SummaryAttribute.untracked] = lifecycle.untracked;
  if (lifecycle.callbacks > 0) {
    attributes[SummaryAttribute.queuedTotal] = ms(lifecycle.queuedTotal);
    attributes[SummaryAttribute.queuedMax] = ms(lifecycle.queuedMax);
    attributes[SummaryAttribute.runningTotal] = ms(lifecycle.runningTotal);
    attributes[SummaryAttribute.runningMax] = ms(lifecycle.runningMax);
  }
  if (lifecycle.dropped > 0) attributes[SummaryAttribute.eventsDropped] = lifecycle.dropped;
  return attributes;
}

/** Writes the summary of `lifecycle` on `span`. */
export function writeSummary(span: Span, lifecycle: SpanLifecycle, pendingByType: ReadonlyMap<string, number>): void {
  span.setAttributes(summaryAttributes(lifecycle, pendingByType));
}
