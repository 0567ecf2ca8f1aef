/**
 * `SpanOrigin`: what the doctor remembers about a span under which async
 * resources were created. The resource table holds these, never the span
 * itself, so a resource that outlives its span keeps a few strings alive,
 * not the span with its attributes and events.
 */

/** The span that was active where a resource was created. */
export class SpanOrigin {
  /** The span's name when the first resource was created under it. */
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  /** When the span ended, in milliseconds since the epoch; NaN while it runs (or if its end was not seen). */
  endedAt = Number.NaN;

  constructor(name: string, traceId: string, spanId: string) {
    this.name = name;
    this.traceId = traceId;
    this.spanId = spanId;
  }

  /** "'GET /users/1' (ended 1.2 s ago)" or "'GET /users/1' (running)", as of `now` (ms since the epoch). */
  describe(now: number): string {
    return `'${this.name}' (${Number.isNaN(this.endedAt) ? 'running' : `ended ${formatAgo(now - this.endedAt)} ago`})`;
  }
}

/** A duration in milliseconds as a short human reading: "850 µs", "12.3 ms", "1.2 s". */
export function formatAgo(ms: number): string {
  if (ms < 1) return `${Math.max(0, Math.round(ms * 1000))} µs`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
