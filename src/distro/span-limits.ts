/**
 * The span limit variables (OTEL_SPAN_*_LIMIT, OTEL_ATTRIBUTE_*_LIMIT). The
 * SDK reads them with `Number()` and takes whatever comes out: `-1`, `Infinity`
 * or `1.5` pass silently. Here each is checked (an integer >= 0) and the limits
 * are passed to `BasicTracerProvider` explicitly, so a bad value is reported
 * once and replaced by what the limit would be without it.
 */
import type { Env } from './config';

/** The span limits, all given (the SDK's `SpanLimits`). */
export interface SpanLimitValues {
  readonly attributeValueLengthLimit: number;
  readonly attributeCountLimit: number;
  readonly linkCountLimit: number;
  readonly eventCountLimit: number;
  readonly attributePerEventCountLimit: number;
  readonly attributePerLinkCountLimit: number;
}

/** The general attribute limits (the SDK's `GeneralLimits`). */
export interface GeneralLimitValues {
  readonly attributeValueLengthLimit: number;
  readonly attributeCountLimit: number;
}

/** What {@link readSpanLimits} returns: both groups, for `BasicTracerProvider`'s config. */
export interface Limits {
  readonly spanLimits: SpanLimitValues;
  readonly generalLimits: GeneralLimitValues;
}

/** The SDK's defaults: 128 of everything, no length limit. */
const COUNT_DEFAULT = 128;
const LENGTH_DEFAULT = Infinity;

/** An integer >= 0, or undefined when unset; a bad value is reported and treated as unset. */
function readLimit(env: Env, name: string, problems: string[], fallback: number): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (Number.isSafeInteger(n) && n >= 0) return n;
  const shown = raw.length > 40 ? `${raw.slice(0, 37)}...` : raw;
  problems.push(`${name} must be an integer >= 0 (got '${shown}'); using ${fallback === Infinity ? 'no limit' : fallback}`);
  return undefined;
}

/** Reads every limit variable; one problem per bad value. */
export function readSpanLimits(env: Env, problems: string[]): Limits {
  const generalLength = readLimit(env, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', problems, LENGTH_DEFAULT) ?? LENGTH_DEFAULT;
  const generalCount = readLimit(env, 'OTEL_ATTRIBUTE_COUNT_LIMIT', problems, COUNT_DEFAULT) ?? COUNT_DEFAULT;
  const count = (name: string) => readLimit(env, name, problems, COUNT_DEFAULT) ?? COUNT_DEFAULT;
  return {
    generalLimits: { attributeValueLengthLimit: generalLength, attributeCountLimit: generalCount },
    spanLimits: {
      // As the SDK: the span's own variable, else the general one, else the default.
      attributeValueLengthLimit: readLimit(env, 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', problems, generalLength) ?? generalLength,
      attributeCountLimit: readLimit(env, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', problems, generalCount) ?? generalCount,
      linkCountLimit: count('OTEL_SPAN_LINK_COUNT_LIMIT'),
      eventCountLimit: count('OTEL_SPAN_EVENT_COUNT_LIMIT'),
      attributePerEventCountLimit: count('OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT'),
      attributePerLinkCountLimit: count('OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT'),
    },
  };
}
