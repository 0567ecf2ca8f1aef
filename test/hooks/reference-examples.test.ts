/**
 * Every code example of the reference text, run as a script against
 * node:async_hooks and against otel-async-context/hooks (on both engines):
 * the outputs must be identical, and must show what the reference says.
 */
import { ENGINES } from '../engines';
import { runFixture, type FixtureRun } from './run-fixture';

/**
 * An output with its `destroy` lines taken out and listed apart, sorted: Node
 * emits destroy from a native callback queued after the resource goes, so
 * where it lands among timer callbacks depends on the machine's load (a 10 ms
 * timer can fire first on a busy machine), not on the module under test.
 */
function withDestroysApart(stdout: string): { ordered: string; destroys: string[] } {
  const lines = stdout.split('\n');
  const isDestroy = (line: string) => /^\s*destroy: /.test(line);
  return { ordered: lines.filter((l) => !isDestroy(l)).join('\n'), destroys: lines.filter(isDestroy).map((l) => l.trim()).sort() };
}

function compare(name: string): { reference: FixtureRun; ours: Record<string, FixtureRun> } {
  const reference = runFixture(name, 'node:async_hooks');
  expect(reference.status).toBe(0);
  const ours: Record<string, FixtureRun> = {};
  for (const engine of ENGINES) {
    ours[engine] = runFixture(name, 'otel-async-context/hooks', { engine });
    expect({ engine, stderr: ours[engine].stderr, status: ours[engine].status }).toEqual({ engine, stderr: '', status: 0 });
    expect({ engine, stdout: withDestroysApart(ours[engine].stdout) }).toEqual({ engine, stdout: withDestroysApart(reference.stdout) });
  }
  return { reference, ours };
}

describe('reference examples give the same output as node:async_hooks', () => {
  test('promise execution tracking without hooks: no ids for the then() callback', () => {
    const { reference } = compare('promise-tracking-default.js');
    expect(reference.stdout).toMatch(/^eid \d+ tid 0\n$/);
  });

  test('promise execution tracking with a hook: the then() promise is the execution, triggered by the first', () => {
    const { reference } = compare('promise-tracking-hook.js');
    const [, eid, tid] = /^eid (\d+) tid (\d+)\n$/.exec(reference.stdout)!;
    expect(Number(eid)).toBe(Number(tid) + 1);
  });

  test('promiseResolve order for new Promise(resolve => resolve(true)).then(...)', () => {
    const { reference } = compare('promise-resolve-order.js');
    const [first, second] = [...reference.stdout.matchAll(/init for PROMISE with id (\d+)/g)].map((m) => m[1]);
    expect(reference.stdout).toBe([
      `init for PROMISE with id ${first}, trigger id: 1`,
      `  promise resolve ${first}`,
      `init for PROMISE with id ${second}, trigger id: ${first}`,
      `  before ${second}`,
      `  promise resolve ${second}`,
      `  after ${second}`,
      '',
    ].join('\n'));
  });

  test('asynchronous context example: server, nextTick, timer, then a connection triggered by the server', () => {
    const { reference } = compare('async-context-example.js');
    const out = reference.stdout;
    const server = /TCPSERVERWRAP\((\d+)\): trigger: \d+ execution: \d+/.exec(out)!;
    expect(server).not.toBeNull();
    // The timer is created inside the listen callback's TickObject, and prints its own id as execution id.
    const timer = /Timeout\((\d+)\): trigger: (\d+) execution: (\d+)/.exec(out)!;
    expect(timer[2]).toBe(timer[3]);
    expect(out).toContain(`>>> ${timer[1]}\n`);
    // The incoming connection is created from C++ (execution 0), triggered by the server.
    expect(out).toMatch(new RegExp(`TCPWRAP\\(\\d+\\): trigger: ${server[1]} execution: 0`));
  });

  test('executionAsyncResource: {} at top level, the request in callbacks, and state carried on resources', () => {
    const { reference } = compare('execution-async-resource.js');
    expect(reference.stdout).toMatch(/^1 \{\}\n/);
    expect(reference.stdout).toMatch(/^\d+ FSReqCallback$/m);
    expect(reference.stdout).toContain('{"state":"/a"} {"state":"/b"} {"state":"/c"}');
  });

  test('AsyncLocalStorage request logger: each request logs with its own id', () => {
    const { reference } = compare('request-logger.js');
    const lines = reference.stdout.trim().split('\n').sort();
    expect(lines).toEqual(['0: finish', '0: start', '1: finish', '1: start']);
  });

  test('AsyncResource WorkerPool: every task completes through runInAsyncScope', () => {
    const { reference } = compare('worker-pool-main.js');
    const lines = reference.stdout.trim().split('\n');
    expect(lines).toHaveLength(10);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^${i} null 142 `)));
    // Tasks run at once keep the caller's store; the example's queued tasks are
    // re-run from the 'free' event and lose it, on Node as on ours.
    expect(lines[0]).toBe('0 null 142 task-0');
  });
});
