/** createHook: callbacks, validation, promise tracking, shared channels, recursion, errors. */
import { createHook, executionAsyncId } from '../../src/hooks/index';
import * as nodeHooks from 'node:async_hooks';
import { enabledHookStats as channelStats } from '../../src/hooks/async-hook';
import { supportsTrackPromises } from '../../src/hooks/native';
import { runFixture } from './run-fixture';

interface Seen { kind: string; id: number; type?: string }

function recorder(seen: Seen[], types?: Set<string>) {
  const ids = new Set<number>();
  return {
    init(id: number, type: string) {
      if (types && !types.has(type)) return;
      ids.add(id);
      seen.push({ kind: 'init', id, type });
    },
    before(id: number) { if (ids.has(id)) seen.push({ kind: 'before', id }); },
    after(id: number) { if (ids.has(id)) seen.push({ kind: 'after', id }); },
    destroy(id: number) { if (ids.has(id)) seen.push({ kind: 'destroy', id }); },
  };
}

function nextTimerTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2));
}

describe('createHook', () => {
  test('reports init, before, after and destroy of a Timeout in order', async () => {
    const seen: Seen[] = [];
    const hook = createHook(recorder(seen, new Set(['Timeout']))).enable();
    let timerId = -1;
    await new Promise<void>((resolve) => setTimeout(() => { timerId = executionAsyncId(); resolve(); }, 1));
    await nextTimerTurn();
    hook.disable();
    const events = seen.filter((e) => e.id === timerId).map((e) => e.kind);
    expect(events).toEqual(['init', 'before', 'after', 'destroy']);
  });

  test('reads callbacks through the prototype chain and calls them with the hook as this', async () => {
    const seen: string[] = [];
    let self: unknown;
    class Base { init(_id: number, type: string) { if (type === 'Immediate') seen.push('init'); } }
    class Added extends Base { before() { seen.push('before'); self = this; } }
    const hook = createHook(new Added()).enable();
    await new Promise((resolve) => setImmediate(resolve));
    hook.disable();
    expect(seen.slice(0, 2)).toEqual(['init', 'before']);
    expect(self).toBe(hook);
  });

  test('enable() and disable() return the hook, are idempotent, and a hook without callbacks is a no-op', () => {
    const before = channelStats();
    const empty = createHook({});
    expect(empty.enable()).toBe(empty);
    expect(empty.enable()).toBe(empty);
    expect(channelStats()).toEqual(before);
    expect(empty.disable()).toBe(empty);
    const hook = createHook({ init() {} });
    hook.enable().enable();
    expect(channelStats()['promises.init']).toBe((before['promises.init'] ?? 0) + 1);
    hook.disable().disable();
    expect(channelStats()['promises.init']).toBe(before['promises.init'] ?? 0);
  });

  test('each enabled hook counts once per callback it has, by promise interest', () => {
    const before = channelStats();
    const hooks = Array.from({ length: 5 }, () => createHook({ init() {}, destroy() {}, trackPromises: false }).enable());
    const stats = channelStats();
    expect(stats['noPromises.init'] - before['noPromises.init']).toBe(5);
    expect(stats['noPromises.destroy'] - before['noPromises.destroy']).toBe(5);
    expect(stats['noPromises.before']).toBe(before['noPromises.before']);
    hooks.forEach((h) => h.disable());
    expect(channelStats()).toEqual(before);
  });

  test('invalid callbacks throw ERR_ASYNC_CALLBACK', () => {
    for (const kind of ['init', 'before', 'after', 'destroy', 'promiseResolve']) {
      expect(() => createHook({ [kind]: 42 } as never)).toThrow(expect.objectContaining({
        name: 'TypeError', code: 'ERR_ASYNC_CALLBACK', message: `hook.${kind} must be a function`,
      }));
    }
  });

  test('bad arguments throw Node-style TypeErrors', () => {
    expect(() => createHook(null as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => createHook(undefined as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => createHook({ trackPromises: 'no' } as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => createHook({ promiseResolve() {}, trackPromises: false })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
  });

  test('trackPromises: false hides PROMISE resources on every Node line', async () => {
    const types: string[] = [];
    const promiseBefore: number[] = [];
    const hook = createHook({
      init(_id, type) { types.push(type); },
      before() { if (executionAsyncResourceIsPromise()) promiseBefore.push(1); },
      trackPromises: false,
    }).enable();
    await Promise.resolve().then(() => new Promise((resolve) => setImmediate(resolve)));
    hook.disable();
    expect(types).toContain('Immediate');
    expect(types).not.toContain('PROMISE');
    expect(promiseBefore).toEqual([]);
  });

  test('supportsTrackPromises says whether node:async_hooks itself honours trackPromises: false', async () => {
    const types = new Set<string>();
    const hook = nodeHooks.createHook({ init(_id, type) { types.add(type); }, trackPromises: false } as nodeHooks.HookCallbacks).enable();
    await Promise.resolve().then(() => new Promise((resolve) => setImmediate(resolve)));
    hook.disable();
    expect(types.has('Immediate')).toBe(true);
    expect(supportsTrackPromises).toBe(!types.has('PROMISE'));
  });

  test('a hook sees PROMISE resources by default', async () => {
    const types: string[] = [];
    const hook = createHook({ init(_id, type) { types.push(type); } }).enable();
    await Promise.resolve().then(() => 1);
    hook.disable();
    expect(types).toContain('PROMISE');
  });

  test('resources created inside a hook callback are not reported to that hook, but are to others', async () => {
    const own: string[] = [];
    const other: string[] = [];
    const printer = createHook({
      init(_id, type) {
        own.push(type);
        if (type === 'Timeout') setImmediate(() => {});
      },
    }).enable();
    const observer = createHook({ init(_id, type) { other.push(type); } }).enable();
    await new Promise((resolve) => setTimeout(resolve, 1));
    await new Promise((resolve) => setImmediate(resolve));
    printer.disable();
    observer.disable();
    // The observer saw the Immediate the printer made, plus the test's own.
    expect(other.filter((t) => t === 'Immediate').length).toBe(own.filter((t) => t === 'Immediate').length + 1);
  });
});

function executionAsyncResourceIsPromise(): boolean {
  return require('node:async_hooks').executionAsyncResource() instanceof Promise;
}

describe('createHook in a process of its own', () => {
  test('console.log inside init does not recurse forever (node:async_hooks does)', () => {
    const reference = runFixture('hook-prints.js', 'node:async_hooks');
    // Node recurses until the stack overflows inside the hook, a fatal error.
    expect(reference.status).toBe(1);
    const r = runFixture('hook-prints.js', 'otel-async-context/hooks');
    expect(r.status).toBe(0);
    const calls = Number(/calls (\d+)/.exec(r.stdout)?.[1]);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(50);
  });

  test.each(['init', 'before', 'after', 'destroy', 'promiseResolve'])(
    'a throwing %s callback prints the stack and exits with 1, bypassing uncaughtException, like node:async_hooks',
    (kind) => {
      for (const module of ['node:async_hooks', 'otel-async-context/hooks'] as const) {
        const withKind = runFixture('hook-throws.js', module, { scriptArgs: [kind] });
        expect({ module, status: withKind.status }).toEqual({ module, status: 1 });
        expect(withKind.stderr).toContain(`Error: boom in ${kind}`);
        expect(withKind.stdout).toContain('exit listener ran with 1');
        expect(withKind.stdout).not.toContain('uncaughtException listener ran');
      }
    },
  );
});

describe('trackPromises: false with a destroy callback', () => {
  test('no destroy reaches the hook for promises it never saw, after 200,000 promises', () => {
    // Alive at once: more than the 100,000 ids the old filter remembered. Half a second on an
    // idle machine; the kill guard is generous for a loaded one.
    const r = runFixture('no-promise-destroy.js', 'otel-async-context/hooks', {
      nodeArgs: ['--expose-gc'], scriptArgs: ['200000'], timeoutMs: 90_000,
    });
    expect(r.stderr).toBe('');
    const { seen, strangers } = JSON.parse(r.stdout);
    expect(seen).toBeGreaterThanOrEqual(1000);
    expect(strangers).toBe(0);
  });
});
