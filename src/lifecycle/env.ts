/**
 * Lifecycle options from the environment, for the distribution's `start()`
 * and `otel-async-context/register`. Follows the OpenTelemetry rules for
 * environment variables: empty means unset, booleans are `true`/`false`
 * (any case), and a bad value is reported once through `diag` and replaced by
 * its default, never thrown.
 */
import { LIFECYCLE_MODES, reportBadValue, type LifecycleMode, type LifecycleOptions } from './options';

/** The environment variables read by `lifecycleOptionsFromEnv`. */
export const LIFECYCLE_ENV = {
  enabled: 'OTEL_ASYNC_CONTEXT_LIFECYCLE',
  mode: 'OTEL_ASYNC_CONTEXT_LIFECYCLE_MODE',
  eventThresholdMs: 'OTEL_ASYNC_CONTEXT_LIFECYCLE_EVENT_THRESHOLD_MS',
  include: 'OTEL_ASYNC_CONTEXT_LIFECYCLE_INCLUDE',
  exclude: 'OTEL_ASYNC_CONTEXT_LIFECYCLE_EXCLUDE',
  eventBudget: 'OTEL_ASYNC_CONTEXT_LIFECYCLE_EVENT_BUDGET',
  samplingRatio: 'OTEL_ASYNC_CONTEXT_LIFECYCLE_SAMPLING_RATIO',
  maxTrackedPerSpan: 'OTEL_ASYNC_CONTEXT_LIFECYCLE_MAX_TRACKED_PER_SPAN',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function types(env: Env, name: string): string[] | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  if (value.toLowerCase() === 'none') return [];
  return value.split(',').map((t) => t.trim()).filter((t) => t !== '');
}

function integer(env: Env, name: string): number | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  reportBadValue(name, value, 'an integer >= 0', 'the default');
  return undefined;
}

function mode(env: Env, name: string): LifecycleMode | undefined {
  const value = read(env, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if ((LIFECYCLE_MODES as readonly string[]).includes(value)) return value as LifecycleMode;
  reportBadValue(name, env[name], LIFECYCLE_MODES.map((m) => `'${m}'`).join(' or '), 'default');
  return undefined;
}

function milliseconds(env: Env, name: string): number | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (/^[\d.eE+]+$/.test(value) && Number.isFinite(n) && n >= 0) return n;
  reportBadValue(name, value, 'a number of milliseconds >= 0', 'the default');
  return undefined;
}

function ratio(env: Env, name: string): number | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (/^[\d.eE+-]+$/.test(value) && n >= 0 && n <= 1) return n;
  reportBadValue(name, value, 'a number from 0 to 1', 'the default');
  return undefined;
}

/**
 * Reads `OTEL_ASYNC_CONTEXT_LIFECYCLE` and its `OTEL_ASYNC_CONTEXT_LIFECYCLE_*`
 * companions. Returns the options for `new LifecycleSpanProcessor(options)`
 * when lifecycle events are turned on (`OTEL_ASYNC_CONTEXT_LIFECYCLE=true`),
 * else `undefined`. Never throws.
 *
 * @param env the environment to read; default `process.env`.
 */
export function lifecycleOptionsFromEnv(env: Env = process.env): LifecycleOptions | undefined {
  const enabled = read(env, LIFECYCLE_ENV.enabled)?.toLowerCase();
  if (enabled === undefined || enabled === 'false') return undefined;
  if (enabled !== 'true') {
    reportBadValue(LIFECYCLE_ENV.enabled, env[LIFECYCLE_ENV.enabled], "'true' or 'false'", false);
    return undefined;
  }
  const options: LifecycleOptions = {};
  const chosenMode = mode(env, LIFECYCLE_ENV.mode);
  if (chosenMode !== undefined) options.mode = chosenMode;
  const eventThresholdMs = milliseconds(env, LIFECYCLE_ENV.eventThresholdMs);
  if (eventThresholdMs !== undefined) options.eventThresholdMs = eventThresholdMs;
  const include = types(env, LIFECYCLE_ENV.include);
  if (include !== undefined) options.include = include;
  const exclude = types(env, LIFECYCLE_ENV.exclude);
  if (exclude !== undefined) options.exclude = exclude;
  const eventBudget = integer(env, LIFECYCLE_ENV.eventBudget);
  if (eventBudget !== undefined) options.eventBudget = eventBudget;
  const samplingRatio = ratio(env, LIFECYCLE_ENV.samplingRatio);
  if (samplingRatio !== undefined) options.samplingRatio = samplingRatio;
  const maxTrackedPerSpan = integer(env, LIFECYCLE_ENV.maxTrackedPerSpan);
  if (maxTrackedPerSpan !== undefined) options.maxTrackedPerSpan = maxTrackedPerSpan;
  return options;
}
