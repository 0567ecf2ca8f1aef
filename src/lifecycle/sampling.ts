/**
 * Which spans are tracked under a sampling ratio. The decision is a function
 * of the trace id, like the SDK's TraceIdRatioBasedSampler: every span of a
 * trace gets the same answer, so a trace shows lifecycles whole or not at all.
 */

/** Whether spans of `traceId` are tracked when a fraction `ratio` (0 to 1) of traces is. */
export function isTraceTracked(traceId: string, ratio: number): boolean {
  if (ratio >= 1) return true;
  if (ratio <= 0) return false;
  // The rightmost bytes of a W3C trace id are the random ones.
  const value = Number.parseInt(traceId.slice(-8), 16);
  if (Number.isNaN(value)) return false;
  return value < ratio * 0x1_0000_0000;
}
