/** Filters by resource type and the per-span event budget (sampling: sampling.test.ts). */
import type { Span } from '@opentelemetry/api';
import { AsyncResource } from '../../src/hooks/index';
import { FULL, harness, lifecycleEvents, nextLoopTurn, type Harness, within } from './helpers';

let h: Harness;
afterEach(() => h.shutdown());


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
    h = harness(FULL);
    const span = h.tracer.startSpan('default');
    await workload(span);
    span.end();
    const finished = h.span('default');
    const types = new Set(lifecycleEvents(finished).map((e) => e.type));
    expect(types).toEqual(new Set(['Timeout', 'TickObject']));
    expect(finished.attributes['async.resources.created_by_type.PROMISE']).toBeUndefined();
  });

  test('include: only the listed types, PROMISE with its promise_resolve events', async () => {
    h = harness({ ...FULL, include: ['PROMISE'] });
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
    h = harness({ ...FULL, exclude: ['Timeout', 'PROMISE'] });
    const span = h.tracer.startSpan('no-timers');
    await workload(span);
    span.end();
    const types = new Set(lifecycleEvents(h.span('no-timers')).map((e) => e.type));
    expect(types).toEqual(new Set(['TickObject']));
  });

  test('include and exclude together: included and not excluded', async () => {
    h = harness({ ...FULL, include: ['Timeout', 'TickObject'], exclude: ['TickObject'] });
    const span = h.tracer.startSpan('both');
    await workload(span);
    span.end();
    expect(new Set(lifecycleEvents(h.span('both')).map((e) => e.type))).toEqual(new Set(['Timeout']));
  });
});

describe('event budget', () => {
  test('writes at most eventBudget events and counts the rest as dropped', () => {
    h = harness({ ...FULL, eventBudget: 3 });
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
    h = harness({ ...FULL, eventBudget: 0 });
    const span = h.tracer.startSpan('summary-only');
    within(span, () => new AsyncResource('QUIET').runInAsyncScope(() => {}));
    span.end();
    const finished = h.span('summary-only');
    expect(lifecycleEvents(finished)).toHaveLength(0);
    expect(finished.attributes['async.resources.created']).toBe(1);
    expect(finished.attributes['async.events.dropped']).toBe(3);
  });
});
