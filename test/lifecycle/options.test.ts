/** Options from code and from the environment: defaults, and bad values reported (never thrown). */
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import {
  DEFAULT_EVENT_BUDGET,
  DEFAULT_EVENT_THRESHOLD_MS,
  DEFAULT_MAX_TRACKED_PER_SPAN,
  LifecycleSpanProcessor,
  lifecycleOptionsFromEnv,
  lifecycleSpanProcessorFromEnv,
  resolveLifecycleOptions,
  type LifecycleOptions,
} from '../../src/lifecycle/index';

let warnings: string[];
beforeEach(() => {
  warnings = [];
  const logger = { warn: (m: string) => warnings.push(m), error() {}, info() {}, debug() {}, verbose() {} } as DiagLogger;
  diag.setLogger(logger, DiagLogLevel.WARN);
});
afterEach(() => diag.disable());

describe('resolveLifecycleOptions', () => {
  test('defaults: every type but PROMISE, no promise tracking, budget 64, ratio 1', () => {
    const o = resolveLifecycleOptions();
    expect(o.accepts('Timeout')).toBe(true);
    expect(o.accepts('PROMISE')).toBe(false);
    expect(o.trackPromises).toBe(false);
    expect(o.eventBudget).toBe(DEFAULT_EVENT_BUDGET);
    expect(o.samplingRatio).toBe(1);
    expect(o.maxTrackedPerSpan).toBe(DEFAULT_MAX_TRACKED_PER_SPAN);
    expect(warnings).toEqual([]);
  });

  test('mode: default unless full; the tail threshold follows the mode unless given', () => {
    expect(resolveLifecycleOptions()).toMatchObject({ mode: 'default', eventThresholdMs: DEFAULT_EVENT_THRESHOLD_MS });
    expect(resolveLifecycleOptions({ mode: 'full' })).toMatchObject({ mode: 'full', eventThresholdMs: 0 });
    expect(resolveLifecycleOptions({ mode: 'full', eventThresholdMs: 250 })).toMatchObject({ mode: 'full', eventThresholdMs: 250 });
    expect(resolveLifecycleOptions({ eventThresholdMs: 0 })).toMatchObject({ mode: 'default', eventThresholdMs: 0 });
    expect(warnings).toEqual([]);
  });

  test('a bad mode or threshold is reported once each and replaced by the default', () => {
    const o = resolveLifecycleOptions({ mode: 'everything', eventThresholdMs: Infinity } as unknown as LifecycleOptions);
    expect(o).toMatchObject({ mode: 'default', eventThresholdMs: DEFAULT_EVENT_THRESHOLD_MS });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/lifecycle mode must be one of 'default', 'full', got "everything"/);
    expect(warnings[1]).toMatch(/eventThresholdMs must be a finite number >= 0, got Infinity/);
  });

  test('include PROMISE turns promise tracking on; exclude: [] records everything', () => {
    expect(resolveLifecycleOptions({ include: ['PROMISE'] }).trackPromises).toBe(true);
    const all = resolveLifecycleOptions({ exclude: [] });
    expect(all.trackPromises).toBe(true);
    expect(all.accepts('Timeout')).toBe(true);
  });

  test('bad values are reported once each through diag and replaced by defaults', () => {
    const bad = { include: 'Timeout', eventBudget: -1, samplingRatio: 2, maxTrackedPerSpan: 1.5 } as unknown as LifecycleOptions;
    const o = resolveLifecycleOptions(bad);
    expect(o.accepts('PROMISE')).toBe(false);
    expect(o.accepts('Timeout')).toBe(true);
    expect(o.eventBudget).toBe(DEFAULT_EVENT_BUDGET);
    expect(o.samplingRatio).toBe(1);
    expect(o.maxTrackedPerSpan).toBe(DEFAULT_MAX_TRACKED_PER_SPAN);
    expect(warnings).toHaveLength(4);
    expect(warnings.join('\n')).toMatch(/eventBudget must be an integer >= 0, got -1/);
  });

  test('a processor with bad options is still built', () => {
    expect(() => new LifecycleSpanProcessor(null as unknown as LifecycleOptions)).not.toThrow();
    expect(warnings).toHaveLength(1);
  });
});

describe('lifecycleOptionsFromEnv', () => {
  test('off unless OTEL_ASYNC_CONTEXT_LIFECYCLE=true (any case)', () => {
    expect(lifecycleOptionsFromEnv({})).toBeUndefined();
    expect(lifecycleOptionsFromEnv({ OTEL_ASYNC_CONTEXT_LIFECYCLE: '' })).toBeUndefined();
    expect(lifecycleOptionsFromEnv({ OTEL_ASYNC_CONTEXT_LIFECYCLE: 'false' })).toBeUndefined();
    expect(lifecycleOptionsFromEnv({ OTEL_ASYNC_CONTEXT_LIFECYCLE: 'TRUE' })).toEqual({});
    expect(lifecycleSpanProcessorFromEnv({})).toBeUndefined();
    expect(lifecycleSpanProcessorFromEnv({ OTEL_ASYNC_CONTEXT_LIFECYCLE: 'true' })).toBeInstanceOf(LifecycleSpanProcessor);
    expect(warnings).toEqual([]);
  });

  test('reads the companion variables', () => {
    expect(lifecycleOptionsFromEnv({
      OTEL_ASYNC_CONTEXT_LIFECYCLE: 'true',
      OTEL_ASYNC_CONTEXT_LIFECYCLE_INCLUDE: 'Timeout, TCPWRAP,,',
      OTEL_ASYNC_CONTEXT_LIFECYCLE_EXCLUDE: 'none',
      OTEL_ASYNC_CONTEXT_LIFECYCLE_EVENT_BUDGET: '10',
      OTEL_ASYNC_CONTEXT_LIFECYCLE_SAMPLING_RATIO: '0.25',
      OTEL_ASYNC_CONTEXT_LIFECYCLE_MAX_TRACKED_PER_SPAN: '100',
    })).toEqual({ include: ['Timeout', 'TCPWRAP'], exclude: [], eventBudget: 10, samplingRatio: 0.25, maxTrackedPerSpan: 100 });
  });

  test('bad values: reported once each, defaults used, never thrown', () => {
    const env = {
      OTEL_ASYNC_CONTEXT_LIFECYCLE: 'true',
      OTEL_ASYNC_CONTEXT_LIFECYCLE_EVENT_BUDGET: 'lots',
      OTEL_ASYNC_CONTEXT_LIFECYCLE_SAMPLING_RATIO: '1.5',
      OTEL_ASYNC_CONTEXT_LIFECYCLE_MAX_TRACKED_PER_SPAN: '-3',
    };
    expect(lifecycleOptionsFromEnv(env)).toEqual({});
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('OTEL_ASYNC_CONTEXT_LIFECYCLE_EVENT_BUDGET');
  });

  test('OTEL_ASYNC_CONTEXT_LIFECYCLE_MODE and _EVENT_THRESHOLD_MS', () => {
    expect(lifecycleOptionsFromEnv({
      OTEL_ASYNC_CONTEXT_LIFECYCLE: 'true',
      OTEL_ASYNC_CONTEXT_LIFECYCLE_MODE: ' Full ',
      OTEL_ASYNC_CONTEXT_LIFECYCLE_EVENT_THRESHOLD_MS: '12.5',
    })).toEqual({ mode: 'full', eventThresholdMs: 12.5 });
    expect(warnings).toEqual([]);
  });

  test('a bad mode or threshold variable: one diagnostic each, the default used', () => {
    expect(lifecycleOptionsFromEnv({
      OTEL_ASYNC_CONTEXT_LIFECYCLE: 'true',
      OTEL_ASYNC_CONTEXT_LIFECYCLE_MODE: 'verbose',
      OTEL_ASYNC_CONTEXT_LIFECYCLE_EVENT_THRESHOLD_MS: '-1',
    })).toEqual({});
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('OTEL_ASYNC_CONTEXT_LIFECYCLE_MODE');
    expect(warnings[0]).toContain("'default' or 'full'");
    expect(warnings[1]).toContain('OTEL_ASYNC_CONTEXT_LIFECYCLE_EVENT_THRESHOLD_MS');
    expect(new LifecycleSpanProcessor(lifecycleOptionsFromEnv({ OTEL_ASYNC_CONTEXT_LIFECYCLE: 'true', OTEL_ASYNC_CONTEXT_LIFECYCLE_MODE: 'x' }))).toBeInstanceOf(LifecycleSpanProcessor);
  });

  test('a bad switch value is reported and leaves lifecycle events off', () => {
    expect(lifecycleOptionsFromEnv({ OTEL_ASYNC_CONTEXT_LIFECYCLE: 'yes' })).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('OTEL_ASYNC_CONTEXT_LIFECYCLE');
  });
});
