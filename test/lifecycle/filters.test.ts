/** Filters by resource type, the per-span event budget, and the sampling ratio. */
import { context, trace, type Span } from '@opentelemetry/api';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';
import { AsyncResource } from '../../src/hooks/index';
import { harness, lifecycleEvents, nextLoopTurn, type Harness } from './helpers';

let h: Harness;
afterEach(() => h.shutdown());

function within<T>(span: Span, fn: () => T): T {
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** Some awaits, a timer and a tick under `span`; resolves when all have run. */
async function workload(span: Span): Promise<void> {
  await within(span, async () => {
    await null;
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
    await new Promise<void>((resolve) => process.nextTick(resolve));
  });
  await nextLoopTurn();
}

describe('resource type filters', () => {
  test('PROMISE is excluded by default: awaits leave no events', async () => {
    h = harness();
    const span = h.tracer.startSpan('default');
    await workload(span);
    span.end();
    const finished = h.span('default');
    const types = new Set(lifecycleEvents(finished).map((e) => e.type));
    expect(types).toEqual(new Set(['Timeout', 'TickObject']));
    expect(finished.attributes['async.resources.created_by_type.PROMISE']).toBeUndefined();
  });

  test('include: only the listed types, PROMISE with its promise_resolve events', async () => {
    h = harness({ include: ['PROMISE'] });
    const span = h.tracer.startSpan('promises');
    await workload(span);
    span.end();
    const events = lifecycleEvents(h.span('promises'));
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['PROMISE']));
    const names = new Set(events.map((e) => e.name));
    expect(names.has('async.init')).toBe(true);
    expect(names.has('async.promise_resolve')).toBe(true);
    expect(h.span('promises').attributes['async.resources.created_by_type.PROMISE']).toBeGreaterThan(0);
  });

  test('exclude replaces the default list', async () => {
    h = harness({ exclude: ['Timeout', 'PROMISE'] });
    const span = h.tracer.startSpan('no-timers');
    await workload(span);
    span.end();
    const types = new Set(lifecycleEvents(h.span('no-timers')).map((e) => e.type));
    expect(types).toEqual(new Set(['TickObject']));
  });

  test('include and exclude together: included and not excluded', async () => {
    h = harness({ include: ['Timeout', 'TickObject'], exclude: ['TickObject'] });
    const span = h.tracer.startSpan('both');
    await workload(span);
    span.end();
    expect(new Set(lifecycleEvents(h.span('both')).map((e) => e.type))).toEqual(new Set(['Timeout']));
  });
});

describe('event budget', () => {
  test('writes at most eventBudget events and counts the rest as dropped', () => {
    h = harness({ eventBudget: 3 });
    const span = h.tracer.startSpan('budget');
    within(span, () => {
      for (let i = 0; i < 4; i++) new AsyncResource('BUDGETED').runInAsyncScope(() => {});
    });
    span.end();
    const finished = h.span('budget');
    expect(lifecycleEvents(finished)).toHaveLength(3);
    // 4 inits + 4 befores + 4 afters = 12 events, 3 written.
    expect(finished.attributes['async.events.dropped']).toBe(9);
    expect(finished.attributes['async.resources.created']).toBe(4);
    expect(finished.attributes['async.callbacks']).toBe(4);
  });

  test('a budget of 0 writes only the summary', () => {
    h = harness({ eventBudget: 0 });
    const span = h.tracer.startSpan('summary-only');
    within(span, () => new AsyncResource('QUIET').runInAsyncScope(() => {}));
    span.end();
    const finished = h.span('summary-only');
    expect(lifecycleEvents(finished)).toHaveLength(0);
    expect(finished.attributes['async.resources.created']).toBe(1);
    expect(finished.attributes['async.events.dropped']).toBe(3);
  });
});

describe('sampling ratio', () => {
  /** Trace ids whose random low bytes are 0 (kept by any ratio > 0) or all ones (kept only at 1). */
  function idGenerator(lowBytes: () => string): IdGenerator {
    let n = 0;
    return {
      generateTraceId: () => (++n).toString(16).padStart(24, '0') + lowBytes(),
      generateSpanId: () => (++n).toString(16).padStart(16, '0'),
    };
  }

  function tracked(ratio: number, low: string): boolean {
    h = harness({ samplingRatio: ratio }, { idGenerator: idGenerator(() => low) });
    const span = h.tracer.startSpan('sampled?');
    within(span, () => new AsyncResource('SAMPLED'));
    span.end();
    const finished = h.span('sampled?');
    return finished.attributes['async.resources.created'] !== undefined && lifecycleEvents(finished).length === 1;
  }

  test('ratio 1 tracks every trace, ratio 0 none (and enables no hook)', async () => {
    expect(tracked(1, 'ffffffff')).toBe(true);
    await h.shutdown();
    expect(tracked(0, '00000000')).toBe(false);
    expect(h.processor.enabled).toBe(false);
  });

  test('the decision follows the trace id', async () => {
    expect(tracked(0.5, '00000000')).toBe(true);
    await h.shutdown();
    expect(tracked(0.5, '7fffffff')).toBe(true);
    await h.shutdown();
    expect(tracked(0.5, '80000000')).toBe(false);
    await h.shutdown();
    expect(tracked(0.5, 'ffffffff')).toBe(false);
  });

  test('a fraction close to the ratio of random traces is tracked, whole traces at a time', () => {
    h = harness({ samplingRatio: 0.25 });
    let tracedRoots = 0;
    for (let i = 0; i < 400; i++) {
      const root = h.tracer.startSpan(`root-${i}`);
      const child = h.tracer.startSpan('child', {}, trace.setSpan(context.active(), root));
      child.end();
      root.end();
      const rootTracked = h.span(`root-${i}`).attributes['async.resources.created'] !== undefined;
      const childSpan = h.exporter.getFinishedSpans().filter((s) => s.name === 'child').pop()!;
      expect(childSpan.attributes['async.resources.created'] !== undefined).toBe(rootTracked);
      if (rootTracked) tracedRoots++;
    }
    // Binomial(400, 0.25): mean 100, standard deviation under 9; the bounds are more than 5 deviations out.
    expect(tracedRoots).toBeGreaterThan(55);
    expect(tracedRoots).toBeLessThan(145);
  });
});
