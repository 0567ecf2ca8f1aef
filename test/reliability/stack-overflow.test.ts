/**
 * A stack overflow inside an async callback, with hooks enabled, is a RangeError
 * that the application can catch, and the process goes on (Node's security
 * release of 2026-01-13, CVE-2025-59466: before it, an overflow with async_hooks
 * enabled ended the process with exit code 7, past every try/catch). Run in child
 * processes: fixtures/stack-overflow.js enables our createHook, an
 * AsyncLocalStorage and the AsyncContextManager on the engine under test.
 */
import { ENGINES } from '../engines';
import { runFixture } from './helpers';

describe('the runtime: an overflow with node:async_hooks enabled is catchable (the fix for CVE-2025-59466)', () => {
  it(`${process.version}: caught as a RangeError in a timer, the process ends with code 0 (not 7)`, async () => {
    const run = await runFixture('overflow-with-node-hooks.js');
    expect({ status: run.status, signal: run.signal, result: run.result }).toEqual({
      status: 0, signal: null, result: { caught: 'RangeError', store: 'store' },
    });
  });
});

describe.each(ENGINES)('stack overflow inside async callbacks (%s engine, all hooks enabled)', (engine) => {
  let run: Awaited<ReturnType<typeof runFixture>>;

  beforeAll(async () => {
    run = await runFixture('stack-overflow.js', [engine], {}, 60_000);
  }, 90_000);

  it('the process ran to its end by itself, exit code 0', () => {
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(run.result?.engine).toBe(engine);
    expect(run.result.node).toBe(process.version);
  });

  const caughtWhere: Array<[string, string]> = [
    ['timer.recursion', 'timer'],
    ['timer.recursionWithResources', 'timer'],
    ['timer.jsonReviver', 'timer'],
    ['await.recursion', 'await'],
    ['await.recursionWithResources', 'await'],
    ['await.jsonReviver', 'await'],
    ['immediate.recursionWithResources', 'immediate'],
    ['nextTick.recursionWithResources', 'immediate'],
    ['rejection.recursionWithResources', 'rejection'],
    ['http/caught.jsonReviver', 'http /caught'],
  ];
  it.each(caughtWhere)('%s: a RangeError caught by the code around it, contexts intact', (name, label) => {
    expect(run.result.results[name]).toEqual({ thrown: 'RangeError', store: label, label });
  });

  it("uncaught overflows reach process 'uncaughtException' as RangeErrors, and the server goes on", () => {
    const { results, uncaught } = run.result;
    expect(uncaught.map((u: { name: string; origin: string }) => [u.name, u.origin])).toEqual([
      ['RangeError', 'uncaughtException'], // the timer
      ['RangeError', 'uncaughtException'], // the /uncaught handler
    ]);
    expect(uncaught[0]).toMatchObject({ store: 'uncaught', label: 'uncaught' });
    expect([results['http.caught.status'], results['http.uncaught.status'], results['http.next.status']]).toEqual([400, 200, 200]);
    expect(results['http/next.jsonReviver']).toEqual({ thrown: 'nothing' });
  });

  it('contexts still propagate afterwards, and the hook saw every kind of event', () => {
    const { results, events } = run.result;
    expect(results.afterwards).toEqual({ store: 'afterwards', label: 'afterwards' });
    for (const kind of ['init', 'before', 'after', 'destroy', 'promiseResolve']) expect(events[kind]).toBeGreaterThan(0);
  });
});
