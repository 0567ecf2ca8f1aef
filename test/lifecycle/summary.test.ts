/** The summary written at span end: counts, callbacks, timings, pending work, late callbacks. */
import { AsyncResource } from '../../src/hooks/index';
import { FULL, harness, lifecycleEvents, nextLoopTurn, type Harness, within } from './helpers';

let h: Harness;
afterEach(() => h.shutdown());


test('a timer left pending shows in the summary', async () => {
  h = harness(FULL);
  const span = h.tracer.startSpan('leaves-a-timer');
  const timer = within(span, () => setTimeout(() => {}, 60_000));
  span.end();
  clearTimeout(timer);
  const attrs = h.span('leaves-a-timer').attributes;
  expect(attrs['async.resources.created']).toBe(1);
  expect(attrs['async.resources.created_by_type.Timeout']).toBe(1);
  expect(attrs['async.resources.pending']).toBe(1);
  expect(attrs['async.resources.pending_by_type.Timeout']).toBe(1);
  expect(attrs['async.callbacks']).toBe(0);
  expect(attrs['async.queued_ms.total']).toBeUndefined();
});

test('work that finished is not pending; callbacks and timings are counted', async () => {
  h = harness(FULL);
  const span = h.tracer.startSpan('finishes');
  await within(span, () => new Promise<void>((resolve) => {
    setTimeout(() => setImmediate(() => process.nextTick(resolve)), 1);
  }));
  await nextLoopTurn();
  span.end();
  const attrs = h.span('finishes').attributes;
  expect(attrs['async.resources.created_by_type.Timeout']).toBe(1);
  expect(attrs['async.resources.created_by_type.Immediate']).toBe(1);
  expect(attrs['async.resources.created_by_type.TickObject']).toBe(1);
  expect(attrs['async.callbacks']).toBe(3);
  expect(attrs['async.resources.pending']).toBe(0);
  const queuedTotal = attrs['async.queued_ms.total'] as number;
  const queuedMax = attrs['async.queued_ms.max'] as number;
  const runningTotal = attrs['async.running_ms.total'] as number;
  const runningMax = attrs['async.running_ms.max'] as number;
  expect(queuedTotal).toBeGreaterThanOrEqual(queuedMax);
  expect(runningTotal).toBeGreaterThanOrEqual(runningMax);
});

/** Spins for at least `ms` milliseconds of performance.now(), the clock the tracker reads; returns the time spun. */
function spin(ms: number): number {
  const start = performance.now();
  while (performance.now() - start < ms);
  return performance.now() - start;
}

test('queued time counts from init to the first callback, running time from before to after', async () => {
  h = harness(FULL);
  const span = h.tracer.startSpan('timed');
  let queuedAtLeast = 0;
  let ranAtLeast = 0;
  await within(span, () => new Promise<void>((resolve) => {
    // The immediate cannot run before this callback returns: it waits at least the spin.
    setImmediate(() => {
      ranAtLeast = spin(5);
      resolve();
    });
    queuedAtLeast = spin(5);
  }));
  span.end();
  const attrs = h.span('timed').attributes;
  expect(attrs['async.callbacks']).toBe(1);
  expect(attrs['async.queued_ms.max']).toBeGreaterThanOrEqual(Math.floor(queuedAtLeast * 1000) / 1000);
  expect(attrs['async.queued_ms.total']).toBe(attrs['async.queued_ms.max']);
  expect(attrs['async.running_ms.max']).toBeGreaterThanOrEqual(Math.floor(ranAtLeast * 1000) / 1000);
  expect(attrs['async.running_ms.total']).toBe(attrs['async.running_ms.max']);
  // Both happened inside the span.
  const [seconds, nanos] = h.span('timed').duration;
  const durationMs = seconds * 1e3 + nanos / 1e6;
  expect((attrs['async.queued_ms.total'] as number) + (attrs['async.running_ms.total'] as number)).toBeLessThanOrEqual(durationMs + 0.01);
});

test('the default mode counts queued time but not running time (no after hook)', async () => {
  h = harness();
  const span = h.tracer.startSpan('default-timed');
  await within(span, () => new Promise<void>((resolve) => {
    setImmediate(resolve);
    spin(2);
  }));
  span.end();
  const attrs = h.span('default-timed').attributes;
  expect(attrs['async.callbacks']).toBe(1);
  expect(attrs['async.queued_ms.max']).toBeGreaterThanOrEqual(2);
  expect(attrs['async.running_ms.total']).toBeUndefined();
  expect(attrs['async.running_ms.max']).toBeUndefined();
});

test('a span ended inside its own timer callback does not count that timer as pending', async () => {
  h = harness(FULL);
  const span = h.tracer.startSpan('ends-in-callback');
  await within(span, () => new Promise<void>((resolve) => setTimeout(() => {
    span.end();
    resolve();
  }, 1)));
  expect(h.span('ends-in-callback').attributes['async.resources.pending']).toBe(0);
});

test('an interval that keeps firing is pending', async () => {
  h = harness(FULL);
  const span = h.tracer.startSpan('interval');
  let fired = 0;
  let interval!: NodeJS.Timeout;
  await within(span, () => new Promise<void>((resolve) => {
    interval = setInterval(() => {
      if (++fired === 2) resolve();
    }, 1);
  }));
  span.end();
  clearInterval(interval);
  const attrs = h.span('interval').attributes;
  expect(attrs['async.resources.pending_by_type.Timeout']).toBe(1);
  expect(attrs['async.callbacks']).toBe(2);
});

test('callbacks that run after the span ended are counted as pending at end, not written', async () => {
  h = harness(FULL);
  const span = h.tracer.startSpan('late');
  await new Promise<void>((resolve) => {
    within(span, () => {
      process.nextTick(() => {});
      setImmediate(resolve);
    });
    span.end(); // both queued, neither has run
  });
  await nextLoopTurn();
  const finished = h.span('late');
  expect(finished.attributes['async.resources.pending']).toBe(2);
  expect(finished.attributes['async.resources.pending_by_type.TickObject']).toBe(1);
  expect(finished.attributes['async.resources.pending_by_type.Immediate']).toBe(1);
  // Only the two inits were written; the later callbacks were counted, not lost silently.
  expect(lifecycleEvents(finished).map((e) => e.name)).toEqual(['async.init', 'async.init']);
  expect(h.processor.watchedResources).toBe(0);
});

test('resources over maxTrackedPerSpan are counted as untracked, and not followed', async () => {
  h = harness({ ...FULL, maxTrackedPerSpan: 2, eventBudget: 0 });
  const span = h.tracer.startSpan('many');
  within(span, () => {
    for (let i = 0; i < 5; i++) new AsyncResource('LEFT_BEHIND', { requireManualDestroy: true });
  });
  expect(h.processor.watchedResources).toBe(2);
  span.end();
  const attrs = h.span('many').attributes;
  expect(attrs['async.resources.created']).toBe(5);
  expect(attrs['async.resources.pending']).toBe(2);
  expect(attrs['async.resources.untracked']).toBe(3);
  expect(attrs['async.events.dropped']).toBe(5);
  expect(h.processor.watchedResources).toBe(0);
});

test('a destroyed resource is neither pending nor watched', async () => {
  h = harness(FULL);
  const span = h.tracer.startSpan('destroyed');
  const resource = within(span, () => new AsyncResource('CUSTOM', { requireManualDestroy: true }));
  resource.runInAsyncScope(() => {});
  resource.emitDestroy();
  await nextLoopTurn(); // destroy hooks run from the next turn
  expect(h.processor.watchedResources).toBe(0);
  span.end();
  const finished = h.span('destroyed');
  expect(lifecycleEvents(finished).map((e) => e.name)).toEqual(['async.init', 'async.before', 'async.after', 'async.destroy']);
  expect(finished.attributes['async.resources.pending']).toBe(0);
});
