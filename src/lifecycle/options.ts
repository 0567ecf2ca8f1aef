/**
 * What a lifecycle processor records, and the defaults. Options come from code
 * (`new LifecycleSpanProcessor(options)`) or from the environment (see env.ts);
 * either way a bad value is reported through `diag` and replaced by its
 * default: telemetry configuration never stops a service.
 */
import { diag } from '@opentelemetry/api';

/** Options of `LifecycleSpanProcessor` (all optional). */
export interface LifecycleOptions {
  /**
   * Resource types to record (`'Timeout'`, `'TCPWRAP'`, ...). When given, only
   * these are recorded. Default: every type except those in `exclude`.
   */
  include?: readonly string[];
  /**
   * Resource types never recorded. Default: `['PROMISE']` when `include` is
   * not given (one PROMISE per `await`), else none.
   */
  exclude?: readonly string[];
  /**
   * Lifecycle events written per span at most; the rest are counted in the
   * summary (`async.events.dropped`). Default 64; 0 writes only the summary.
   */
  eventBudget?: number;
  /**
   * Fraction of traces (0 to 1) whose spans are tracked, decided from the
   * trace id so that a trace is tracked whole or not at all. Default 1.
   */
  samplingRatio?: number;
  /**
   * Resources per span whose `destroy` is watched by id (the rest still count
   * as created, and as `async.resources.untracked`). Default 1024.
   */
  maxTrackedPerSpan?: number;
}

/** Options with every default applied; what the tracker runs on. */
export interface ResolvedLifecycleOptions {
  /** Decides, per resource type, whether the type is recorded. */
  readonly accepts: (type: string) => boolean;
  /** Whether PROMISE resources are recorded (the hook then tracks promises). */
  readonly trackPromises: boolean;
  readonly eventBudget: number;
  readonly samplingRatio: number;
  readonly maxTrackedPerSpan: number;
}

/** Default per-span event budget: about half of the SDK's default event count limit (128). */
export const DEFAULT_EVENT_BUDGET = 64;
/** Default number of resources per span whose destroy is watched. */
export const DEFAULT_MAX_TRACKED_PER_SPAN = 1024;
/** Resource types excluded when neither `include` nor `exclude` is given. */
export const DEFAULT_EXCLUDE: readonly string[] = ['PROMISE'];

/** Reports a bad option value once (per resolution) through `diag`, naming the default used. */
export function reportBadValue(name: string, value: unknown, expected: string, fallback: unknown): void {
  let shown: string;
  try {
    shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  diag.warn(`otel-async-context: ${name} must be ${expected}, got ${shown}; using ${JSON.stringify(fallback)}`);
}

function typeList(name: string, value: unknown, fallback: readonly string[] | undefined): readonly string[] | undefined {
  if (value === undefined) return fallback;
  if (Array.isArray(value) && value.every((t) => typeof t === 'string')) {
    return value.map((t: string) => t.trim()).filter((t) => t !== '');
  }
  reportBadValue(name, value, 'an array of resource type names', fallback ?? null);
  return fallback;
}

function integer(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  reportBadValue(name, value, 'an integer >= 0', fallback);
  return fallback;
}

function ratio(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  reportBadValue(name, value, 'a number from 0 to 1', fallback);
  return fallback;
}

/** Applies the defaults to `options`, reporting (never throwing) bad values. */
export function resolveLifecycleOptions(options: LifecycleOptions = {}): ResolvedLifecycleOptions {
  if (options === null || typeof options !== 'object') {
    reportBadValue('lifecycle options', options, 'an object', {});
    options = {};
  }
  const include = typeList('lifecycle include', options.include, undefined);
  const exclude = typeList('lifecycle exclude', options.exclude, include === undefined ? DEFAULT_EXCLUDE : undefined) ?? [];
  const included = include === undefined ? undefined : new Set(include);
  const excluded = new Set(exclude);
  const accepts = included === undefined
    ? (type: string): boolean => !excluded.has(type)
    : (type: string): boolean => included.has(type) && !excluded.has(type);
  return {
    accepts,
    trackPromises: accepts('PROMISE'),
    eventBudget: integer('lifecycle eventBudget', options.eventBudget, DEFAULT_EVENT_BUDGET),
    samplingRatio: ratio('lifecycle samplingRatio', options.samplingRatio, 1),
    maxTrackedPerSpan: integer('lifecycle maxTrackedPerSpan', options.maxTrackedPerSpan, DEFAULT_MAX_TRACKED_PER_SPAN),
  };
}
