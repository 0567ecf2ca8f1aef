/**
 * What a lifecycle processor records, and the defaults. Options come from code
 * (`new LifecycleSpanProcessor(options)`) or from the environment (see env.ts);
 * either way a bad value is reported through `diag` and replaced by its
 * default: telemetry configuration never stops a service.
 */
import { diag } from '@opentelemetry/api';

/**
 * How much the processor records:
 * - `'default'`: the hook has `init`, `before` and `destroy` (no `after`). Every tracked span gets
 *   its summary (counts, callbacks, queued time, pending list); lifecycle events are written only
 *   on spans that the tail rule keeps (slower than `eventThresholdMs`, or ended with an error).
 * - `'full'`: `after` too (running time), and events on every tracked span
 *   (`eventThresholdMs` defaults to 0).
 */
export type LifecycleMode = 'default' | 'full';

/** The accepted values of `mode`. */
export const LIFECYCLE_MODES: readonly LifecycleMode[] = ['default', 'full'];

/** Options of `LifecycleSpanProcessor` (all optional). */
export interface LifecycleOptions {
  /** What is recorded and what it costs: `'default'` or `'full'` (see `LifecycleMode`). Default `'default'`. */
  mode?: LifecycleMode;
  /**
   * The tail rule: lifecycle events are written on spans that lasted at least this many
   * milliseconds, or ended with an error status; other spans get only the summary.
   * Default 100 in `'default'` mode, 0 (every span) in `'full'` mode.
   */
  eventThresholdMs?: number;
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
   * Fraction of local traces (0 to 1) whose spans are tracked. Decided locally, by a random
   * draw at each local root span (a span without a parent in this process), never from ids
   * a client sends; the spans below it follow its decision. Default 1.
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
  readonly mode: LifecycleMode;
  readonly eventThresholdMs: number;
  /** Decides, per resource type, whether the type is recorded. */
  readonly accepts: (type: string) => boolean;
  /** Whether PROMISE resources are recorded (the hook then tracks promises). */
  readonly trackPromises: boolean;
  readonly eventBudget: number;
  readonly samplingRatio: number;
  readonly maxTrackedPerSpan: number;
}

/** Default tail-rule threshold of the `'default'` mode: events on spans of at least 100 ms (or with an error). */
export const DEFAULT_EVENT_THRESHOLD_MS = 100;
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

function mode(value: unknown): LifecycleMode {
  if (value === undefined) return 'default';
  if (typeof value === 'string' && (LIFECYCLE_MODES as readonly string[]).includes(value)) return value as LifecycleMode;
  reportBadValue('lifecycle mode', value, `one of ${LIFECYCLE_MODES.map((m) => `'${m}'`).join(', ')}`, 'default');
  return 'default';
}

function milliseconds(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  reportBadValue(name, value, 'a finite number >= 0', fallback);
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
  const resolvedMode = mode(options.mode);
  return {
    mode: resolvedMode,
    eventThresholdMs: milliseconds('lifecycle eventThresholdMs', options.eventThresholdMs,
      resolvedMode === 'full' ? 0 : DEFAULT_EVENT_THRESHOLD_MS),
    accepts,
    trackPromises: accepts('PROMISE'),
    eventBudget: integer('lifecycle eventBudget', options.eventBudget, DEFAULT_EVENT_BUDGET),
    samplingRatio: ratio('lifecycle samplingRatio', options.samplingRatio, 1),
    maxTrackedPerSpan: integer('lifecycle maxTrackedPerSpan', options.maxTrackedPerSpan, DEFAULT_MAX_TRACKED_PER_SPAN),
  };
}
