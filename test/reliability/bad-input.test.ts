/**
 * Bad input, table-driven: every public function and constructor of
 * `otel-async-context` and `otel-async-context/hooks`, given wrong types,
 * missing or extra arguments.
 *
 * - Code (functions, constructors, methods): a clear error, a TypeError or
 *   RangeError carrying Node's `code`. Where `node:async_hooks` has the same
 *   function, the same input is given to it too: when Node throws an error with
 *   a `code`, ours must throw the same class with the same code; when Node
 *   crashes unclearly (`Cannot read properties of undefined`) or accepts the
 *   input, ours is stricter and says so in `note`.
 * - Configuration (lifecycle options, environment variables, start() options):
 *   no throw, the default used, and the problem reported through the diag
 *   logger exactly once.
 *
 * The last test checks that the table names every function and class exported.
 */
import * as nodeHooks from 'node:async_hooks';
import { context, diag, DiagLogLevel, propagation, ROOT_CONTEXT, trace, type DiagLogger } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import * as pkg from '../../src/index';
import * as hooks from '../../src/hooks/index';
import { ENGINES } from '../engines';

type Hooks = typeof hooks;

/** A call whose outcome the row describes. */
interface ThrowsRow {
  kind: 'throws';
  /** The export (and member) under test, as the completeness check knows it. */
  api: string;
  input: string;
  call: (m: Hooks) => unknown;
  error: ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor;
  /** Node's code; undefined only with `plain`. */
  code?: string;
  /** JavaScript's own TypeError for a method called without its object, exactly as Node's own class gives. */
  plain?: RegExp;
  /** Also run on node:async_hooks (the same names): codes must agree where Node has one. */
  reference?: boolean;
  note?: string;
}

interface AcceptsRow {
  kind: 'accepts';
  api: string;
  input: string;
  call: (m: Hooks) => unknown;
  /** What the result must satisfy. */
  check?: (result: any) => void;
  reference?: boolean;
  note?: string;
}

interface ConfigRow {
  kind: 'config';
  api: string;
  input: string;
  /** Runs with a capturing diag logger installed; returns what `check` inspects. */
  call: (logger: DiagLogger) => unknown | Promise<unknown>;
  /** The one diag message expected. */
  reported: RegExp;
  /** Other warnings the input causes, by design (each is a separate consequence, not a repeat). */
  others?: RegExp[];
  check?: (result: any) => void | Promise<void>;
}

type Row = ThrowsRow | AcceptsRow | ConfigRow;

const UNCLEAR = /Cannot read propert|Cannot destructure|is not a function|is not iterable|Cannot convert undefined or null/;
const noop = (): void => {};
const VALUES: Array<[string, unknown]> = [
  ['undefined', undefined], ['null', null], ['a number', 1], ['a string', 'x'], ['a symbol', Symbol('s')],
  ['a bigint', 1n], ['a plain object', {}], ['an array', []], ['a function', noop],
];
const notOfType = (type: 'object' | 'function' | 'string', list = VALUES) => list.filter(([, v]) => {
  if (type === 'object') return v === null || typeof v !== 'object' || Array.isArray(v);
  return typeof v !== type;
});

// ---------------------------------------------------------------- hooks
function hookRows(): Row[] {
  const rows: Row[] = [];
  for (const [what, v] of [['undefined', undefined], ['null', null], ['a number', 1], ['a string', 'x'], ['a symbol', Symbol('s')], ['a bigint', 1n]] as const) {
    rows.push({
      kind: 'throws', api: 'createHook', input: `callbacks = ${what}`, call: (m) => m.createHook(v as never),
      error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true,
      note: 'Node: a destructuring TypeError for null/undefined, accepts primitives',
    });
  }
  rows.push({ kind: 'throws', api: 'createHook', input: 'no argument', call: (m) => (m.createHook as () => unknown)(), error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true });
  for (const kind of ['init', 'before', 'after', 'destroy', 'promiseResolve']) {
    rows.push({ kind: 'throws', api: 'createHook', input: `{ ${kind}: 'x' }`, call: (m) => m.createHook({ [kind]: 'x' } as never), error: TypeError, code: 'ERR_ASYNC_CALLBACK', reference: true });
  }
  rows.push({ kind: 'throws', api: 'createHook', input: '{ trackPromises: 1 }', call: (m) => m.createHook({ trackPromises: 1 } as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true, note: 'Node 20 ignores the option' });
  rows.push({ kind: 'throws', api: 'createHook', input: '{ trackPromises: false, promiseResolve }', call: (m) => m.createHook({ trackPromises: false, promiseResolve: noop }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE', note: 'Node 24 throws the same; Node 20 has no trackPromises' });
  rows.push({ kind: 'accepts', api: 'createHook', input: 'extra arguments; a function or array as callbacks', call: (m) => [(m.createHook as (...a: unknown[]) => unknown)({}, 1, 2), m.createHook(noop as never), m.createHook([] as never)], reference: true });
  rows.push({
    kind: 'accepts', api: 'AsyncHook#enable/disable', input: 'extra arguments, repeated calls',
    call: (m) => { const h = m.createHook({ init: noop }); const loose = h as unknown as Record<'enable' | 'disable', (...a: unknown[]) => unknown>; const r = [loose.enable(1, 2), h.enable(), loose.disable(1), h.disable()]; return r.every((x) => x === h); },
    check: (r) => expect(r).toBe(true), reference: true,
  });
  rows.push({
    kind: 'throws', api: 'AsyncHook#enable/disable', input: 'called without its hook (`const { enable } = hook`)',
    call: (m) => { const { enable } = m.createHook({ init: noop }); return (enable as () => unknown)(); },
    error: TypeError, plain: /Cannot read properties of undefined/, reference: true, note: 'a private-field brand check; Node throws the same kind of TypeError',
  });

  // AsyncResource
  for (const [what, v] of notOfType('string')) {
    rows.push({ kind: 'throws', api: 'AsyncResource', input: `type = ${what}`, call: (m) => new m.AsyncResource(v as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true });
  }
  rows.push({ kind: 'throws', api: 'AsyncResource', input: "type = ''", call: (m) => new m.AsyncResource(''), error: TypeError, code: 'ERR_ASYNC_TYPE', note: 'Node throws it only while an init hook is enabled' });
  rows.push({ kind: 'throws', api: 'AsyncResource', input: 'no new', call: (m) => (m.AsyncResource as unknown as (t: string) => unknown)('x'), error: TypeError, plain: /cannot be invoked without 'new'/, reference: true });
  for (const [what, v] of [['-2', -2], ["'a'", 'a'], ['NaN', NaN], ['1.5', 1.5]] as const) {
    rows.push({ kind: 'throws', api: 'AsyncResource', input: `triggerAsyncId = ${what}`, call: (m) => new m.AsyncResource('x', { triggerAsyncId: v as never }), error: RangeError, code: 'ERR_INVALID_ASYNC_ID', reference: true });
  }
  rows.push({ kind: 'throws', api: 'AsyncResource', input: 'options = null', call: (m) => new m.AsyncResource('x', null as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true, note: 'Node: Cannot read properties of null' });
  rows.push({
    kind: 'accepts', api: 'AsyncResource', input: 'extra arguments; options = a trigger id number',
    call: (m) => [new (m.AsyncResource as any)('x', {}, 1, 2), new m.AsyncResource('x', 1)].map((r) => r.triggerAsyncId()),
    check: (ids) => expect(ids[1]).toBe(1), reference: true,
  });
  for (const [what, v] of notOfType('function')) {
    rows.push({ kind: 'throws', api: 'AsyncResource#bind', input: `fn = ${what}`, call: (m) => new m.AsyncResource('x').bind(v as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true });
    rows.push({ kind: 'throws', api: 'AsyncResource.bind', input: `fn = ${what}`, call: (m) => m.AsyncResource.bind(v as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true, note: v === undefined ? 'Node: Cannot read properties of undefined' : undefined });
  }
  rows.push({ kind: 'throws', api: 'AsyncResource.bind', input: 'type = 1', call: (m) => m.AsyncResource.bind(noop, 1 as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true });
  for (const [what, v] of [['undefined', undefined], ['a number', 1], ['an object', {}]] as const) {
    rows.push({
      kind: 'throws', api: 'AsyncResource#runInAsyncScope', input: `fn = ${what}`, call: (m) => new m.AsyncResource('x').runInAsyncScope(v as never),
      // V8 words it two ways: the interpreter names the value, optimized code (Node's core method is
      // shared by every suite of a Jest worker, so it may be warm) names the call it inlined.
      error: TypeError, plain: /Function\.prototype\.apply was called on|ReflectApply is not a function/, reference: true, note: "Node's own method, unchanged: JavaScript's TypeError naming the value",
    });
  }
  rows.push({
    kind: 'accepts', api: 'AsyncResource#runInAsyncScope', input: 'thisArg and extra arguments',
    call: (m) => new m.AsyncResource('x').runInAsyncScope(function (this: unknown, a: number, b: number) { return [this, a, b]; }, 't', 1, 2),
    check: (r) => expect(r).toEqual(['t', 1, 2]), reference: true,
  });
  rows.push({
    kind: 'throws', api: 'AsyncResource#emitDestroy', input: 'called twice', call: (m) => { const r = new m.AsyncResource('x'); r.emitDestroy(); r.emitDestroy(); },
    error: Error, code: 'ERR_ASYNC_RESOURCE_DESTROYED', note: 'Node emits destroy twice',
  });
  rows.push({
    kind: 'accepts', api: 'AsyncResource#asyncId/triggerAsyncId', input: 'extra arguments',
    call: (m) => { const r = new m.AsyncResource('x'); return [(r.asyncId as (...a: unknown[]) => number)(1), (r.triggerAsyncId as (...a: unknown[]) => number)(1)]; },
    check: (ids) => expect([ids[0] > 0, Number.isInteger(ids[1]) && ids[1] >= 0]).toEqual([true, true]), reference: true,
  });

  // The id functions take no arguments: extra ones are ignored, as by Node.
  rows.push({
    kind: 'accepts', api: 'executionAsyncId/triggerAsyncId/executionAsyncResource', input: 'extra arguments',
    call: (m) => [(m.executionAsyncId as (...a: unknown[]) => number)(1, 'x'), (m.triggerAsyncId as (...a: unknown[]) => number)(null), (m.executionAsyncResource as (...a: unknown[]) => object)({})],
    check: (r) => { expect(typeof r[0]).toBe('number'); expect(typeof r[1]).toBe('number'); expect(typeof r[2]).toBe('object'); }, reference: true,
  });
  return rows;
}

// ------------------------------------------------------- AsyncLocalStorage
function storageRows(): Row[] {
  const rows: Row[] = [];
  for (const engine of ENGINES) {
    const make = (m: Hooks) => new m.AsyncLocalStorage<unknown>(m === (nodeHooks as unknown) ? undefined : { engine });
    const e = `[${engine}]`;
    for (const [what, v] of notOfType('object').filter(([, v]) => v !== undefined)) {
      rows.push({
        kind: 'throws', api: 'AsyncLocalStorage', input: `${e} options = ${what}`, call: (m) => new m.AsyncLocalStorage(v as never),
        error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true, note: 'as Node 24; Node 20 ignores its argument',
      });
    }
    rows.push({ kind: 'throws', api: 'AsyncLocalStorage', input: `${e} { engine: 'fast' }`, call: (m) => new m.AsyncLocalStorage({ engine: 'fast' as never }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' });
    rows.push({ kind: 'throws', api: 'AsyncLocalStorage', input: `${e} { name: a symbol }`, call: (m) => new m.AsyncLocalStorage({ engine, name: Symbol('n') as never }), error: TypeError, plain: /Cannot convert a Symbol value to a string/, note: "as Node 24's own constructor" });
    rows.push({ kind: 'throws', api: 'AsyncLocalStorage', input: `${e} no new`, call: (m) => (m.AsyncLocalStorage as unknown as () => unknown)(), error: TypeError, plain: /cannot be invoked without 'new'/, reference: true });
    rows.push({ kind: 'accepts', api: 'AsyncLocalStorage', input: `${e} extra arguments, { name: 1 }`, call: (m) => (new (m.AsyncLocalStorage as any)({ engine, name: 1 }, 2, 3)).name, check: (n) => expect(n).toBe('1') });
    for (const method of ['run', 'exit'] as const) {
      for (const [what, v] of notOfType('function')) {
        rows.push({
          kind: 'throws', api: `AsyncLocalStorage#${method}`, input: `${e} callback = ${what}`,
          call: (m) => method === 'run' ? make(m).run(1, v as never) : make(m).exit(v as never),
          error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true, note: 'Node: Function.prototype.apply was called on ...',
        });
      }
      rows.push({ kind: 'throws', api: `AsyncLocalStorage#${method}`, input: `${e} no argument`, call: (m) => (make(m)[method] as () => unknown)(), error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true });
      rows.push({
        kind: 'throws', api: `AsyncLocalStorage#${method}`, input: `${e} called without its storage`,
        call: (m) => { const f = make(m)[method] as (...a: unknown[]) => unknown; return method === 'run' ? f(1, noop) : f(noop); },
        error: TypeError, plain: /Cannot read properties of undefined/, reference: true, note: 'a private-field brand check; Node throws the same kind of TypeError',
      });
      rows.push({
        kind: 'accepts', api: `AsyncLocalStorage#${method}`, input: `${e} extra arguments go to the callback`,
        call: (m) => { const s = make(m); return method === 'run' ? s.run('S', (a: number, b: number) => [s.getStore(), a, b], 1, 2) : s.exit((a: number, b: number) => [s.getStore(), a, b], 1, 2); },
        check: (r) => expect(r.slice(1)).toEqual([1, 2]), reference: true,
      });
    }
    rows.push({ kind: 'accepts', api: 'AsyncLocalStorage#getStore', input: `${e} extra arguments`, call: (m) => (make(m).getStore as (...a: unknown[]) => unknown)(1, 2), check: (r) => expect(r).toBeUndefined(), reference: true });
    rows.push({
      kind: 'accepts', api: 'AsyncLocalStorage#enterWith', input: `${e} no argument, extra arguments`,
      call: (m) => { const s = make(m); return s.run('outer', () => { (s.enterWith as (...a: unknown[]) => void)(); const a = s.getStore(); (s.enterWith as (...a: unknown[]) => void)('v', 1, 2); return [a, s.getStore()]; }); },
      check: (r) => expect(r).toEqual([undefined, 'v']), reference: true,
    });
    rows.push({
      kind: 'accepts', api: 'AsyncLocalStorage#withScope', input: `${e} no argument; dispose() twice`,
      call: (m) => { const s = make(m); return s.run('outer', () => { const scope = s.withScope(undefined); const inside = s.getStore(); scope.dispose(); scope.dispose(); return [inside, s.getStore()]; }); },
      check: (r) => expect(r).toEqual([undefined, 'outer']),
    });
    rows.push({ kind: 'accepts', api: 'AsyncLocalStorage#disable', input: `${e} extra arguments, twice`, call: (m) => { const s = make(m); (s.disable as (...a: unknown[]) => void)(1); s.disable(); return s.getStore(); }, check: (r) => expect(r).toBeUndefined(), reference: true });
    rows.push({ kind: 'accepts', api: 'AsyncLocalStorage#name/engine', input: `${e} read`, call: (m) => { const s = make(m) as hooks.AsyncLocalStorage<unknown>; return [s.name, s.engine]; }, check: (r) => expect(r).toEqual(['', engine]) });
  }
  for (const [what, v] of notOfType('function')) {
    rows.push({ kind: 'throws', api: 'AsyncLocalStorage.bind', input: `fn = ${what}`, call: (m) => m.AsyncLocalStorage.bind(v as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true, note: v === undefined ? 'Node: Cannot read properties of undefined' : undefined });
    rows.push({ kind: 'throws', api: 'AsyncLocalStorage.snapshot', input: `the snapshot called with fn = ${what}`, call: (m) => m.AsyncLocalStorage.snapshot()(v as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE', reference: true, note: 'Node: cb is not a function' });
  }
  rows.push({ kind: 'accepts', api: 'AsyncLocalStorage.snapshot', input: 'extra arguments', call: (m) => (m.AsyncLocalStorage.snapshot as (...a: unknown[]) => (fn: (...a: number[]) => unknown, ...args: number[]) => unknown)(1)((a, b) => [a, b], 1, 2), check: (r) => expect(r).toEqual([1, 2]), reference: true });
  return rows;
}

// -------------------------------------------------------- context manager
function managerRows(): Row[] {
  const rows: Row[] = [];
  for (const [what, v] of notOfType('object').filter(([, v]) => v !== undefined)) {
    rows.push({ kind: 'throws', api: 'AsyncContextManager', input: `options = ${what}`, call: () => new pkg.AsyncContextManager(v as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' });
  }
  rows.push({ kind: 'throws', api: 'AsyncContextManager', input: "{ engine: 'x' }", call: () => new pkg.AsyncContextManager({ engine: 'x' as never }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' });
  rows.push({ kind: 'throws', api: 'AsyncContextManager', input: '{ engine: 1 }', call: () => new pkg.AsyncContextManager({ engine: 1 as never }), error: TypeError, code: 'ERR_INVALID_ARG_VALUE' });
  rows.push({ kind: 'throws', api: 'AsyncContextManager', input: 'no new', call: () => (pkg.AsyncContextManager as unknown as () => unknown)(), error: TypeError, plain: /cannot be invoked without 'new'/ });
  rows.push({ kind: 'accepts', api: 'AsyncContextManager', input: 'extra arguments, unknown option keys', call: () => new (pkg.AsyncContextManager as any)({ engine: 'hooks', colour: 'red' }, 1).engine, check: (e) => expect(e).toBe('hooks') });
  for (const engine of ENGINES) {
    const e = `[${engine}]`;
    const m = () => new pkg.AsyncContextManager({ engine }).enable();
    for (const [what, v] of notOfType('function')) {
      rows.push({ kind: 'throws', api: 'AsyncContextManager#with', input: `${e} fn = ${what}`, call: () => m().with(ROOT_CONTEXT, v as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE', note: "context-async-hooks: Node's Function.prototype.apply TypeError" });
    }
    rows.push({ kind: 'throws', api: 'AsyncContextManager#with', input: `${e} no argument`, call: () => (m().with as () => unknown)(), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' });
    rows.push({
      kind: 'accepts', api: 'AsyncContextManager#with', input: `${e} thisArg and extra arguments`,
      call: () => m().with(ROOT_CONTEXT, function (this: unknown, a: number, b: number) { return [this, a, b]; }, 't' as never, 1, 2),
      check: (r) => expect(r).toEqual(['t', 1, 2]),
    });
    rows.push({
      kind: 'accepts', api: 'AsyncContextManager#with', input: `${e} context = null or undefined: active() is ROOT_CONTEXT inside`,
      call: () => { const mgr = m(); return [mgr.with(null as never, () => mgr.active()), mgr.with(undefined as never, () => mgr.active())]; },
      check: (r) => expect(r).toEqual([ROOT_CONTEXT, ROOT_CONTEXT]),
      note: 'as context-async-hooks (the API passes whatever the caller gave)',
    });
    rows.push({
      kind: 'accepts', api: 'AsyncContextManager#bind', input: `${e} target = not a function, emitter or EventTarget: returned as is`,
      call: () => { const mgr = m(); return VALUES.filter(([, v]) => typeof v !== 'function').map(([, v]) => Object.is(mgr.bind(ROOT_CONTEXT, v), v)); },
      check: (r) => expect(r.every(Boolean)).toBe(true), note: 'as context-async-hooks',
    });
    rows.push({
      kind: 'accepts', api: 'AsyncContextManager#bind', input: `${e} no argument, extra arguments`,
      call: () => { const mgr = m(); return [(mgr.bind as (...a: unknown[]) => unknown)(), (mgr.bind as (...a: unknown[]) => () => unknown)(ROOT_CONTEXT, () => 7, 1)()]; },
      check: (r) => expect(r).toEqual([undefined, 7]),
    });
    rows.push({
      kind: 'accepts', api: 'AsyncContextManager#attach', input: `${e} no argument; dispose() twice`,
      call: () => { const mgr = m(); const outer = ROOT_CONTEXT.setValue(Symbol.for('k'), 1); return mgr.with(outer, () => { const t = (mgr.attach as (...a: unknown[]) => { dispose(): void })(); const inside = mgr.active(); t.dispose(); t.dispose(); return [inside === ROOT_CONTEXT, mgr.active() === outer]; }); },
      check: (r) => expect(r).toEqual([true, true]),
    });
    rows.push({
      kind: 'accepts', api: 'AsyncContextManager#active/enable/disable', input: `${e} extra arguments, repeated calls`,
      call: () => { const mgr = m(); const a = mgr as unknown as Record<string, (...x: unknown[]) => unknown>; return [a.active(1), a.enable(1) === mgr, a.enable() === mgr, a.disable(1) === mgr, a.disable() === mgr]; },
      check: (r) => expect(r).toEqual([ROOT_CONTEXT, true, true, true, true]),
    });
    rows.push({
      kind: 'throws', api: 'AsyncContextManager#with', input: `${e} called without its manager`,
      call: () => { const w = m().with; return (w as (...a: unknown[]) => unknown)(ROOT_CONTEXT, noop); },
      error: TypeError, plain: /Cannot read properties of undefined/, note: 'a private-field brand check',
    });
  }
  return rows;
}

// ------------------------------------------------------ lifecycle options
function lifecycleRows(): Row[] {
  const rows: Row[] = [];
  const D = { eventBudget: pkg.DEFAULT_EVENT_BUDGET, samplingRatio: 1, maxTrackedPerSpan: pkg.DEFAULT_MAX_TRACKED_PER_SPAN };
  const defaults = (r: pkg.ResolvedLifecycleOptions) => {
    expect({ eventBudget: r.eventBudget, samplingRatio: r.samplingRatio, maxTrackedPerSpan: r.maxTrackedPerSpan }).toEqual(D);
    expect([r.accepts('PROMISE'), r.accepts('Timeout')]).toEqual([false, true]);
  };
  for (const [what, v] of [['null', null], ['a number', 1], ['a string', 'x'], ['a function', noop]] as const) {
    rows.push({ kind: 'config', api: 'resolveLifecycleOptions', input: `options = ${what}`, call: () => pkg.resolveLifecycleOptions(v as never), reported: /lifecycle options must be an object/, check: defaults });
    rows.push({ kind: 'config', api: 'LifecycleSpanProcessor', input: `options = ${what}`, call: () => new pkg.LifecycleSpanProcessor(v as never), reported: /lifecycle options must be an object/, check: (p) => expect(p.enabled).toBe(false) });
  }
  const bad: Array<[keyof pkg.LifecycleOptions, unknown, RegExp]> = [
    ['eventBudget', -1, /eventBudget must be an integer >= 0/], ['eventBudget', '5', /eventBudget must be an integer >= 0/], ['eventBudget', 1.5, /eventBudget/],
    ['samplingRatio', 2, /samplingRatio must be a number from 0 to 1/], ['samplingRatio', '0.5', /samplingRatio/], ['samplingRatio', NaN, /samplingRatio/],
    ['maxTrackedPerSpan', -5, /maxTrackedPerSpan must be an integer >= 0/], ['maxTrackedPerSpan', null, /maxTrackedPerSpan/],
    ['include', 'Timeout', /include must be an array of resource type names/], ['include', [1], /include/],
    ['exclude', 'PROMISE', /exclude must be an array of resource type names/],
    ['mode', 'verbose', /mode must be one of 'default', 'full'/], ['mode', 1, /mode/],
    ['eventThresholdMs', -1, /eventThresholdMs must be a finite number >= 0/], ['eventThresholdMs', '5', /eventThresholdMs/],
  ];
  for (const [key, v, reported] of bad) {
    rows.push({ kind: 'config', api: 'resolveLifecycleOptions', input: `{ ${key}: ${typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? '[1]' : String(v)} }`, call: () => pkg.resolveLifecycleOptions({ [key]: v } as never), reported, check: defaults });
    rows.push({ kind: 'config', api: 'LifecycleSpanProcessor', input: `{ ${key}: ${typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? '[1]' : String(v)} }`, call: () => new pkg.LifecycleSpanProcessor({ [key]: v } as never), reported });
  }
  // Span processor methods are called by the SDK; given a non-span they report once and throw nothing.
  const fakeSpan = { spanContext: () => ({ traceId: '1'.repeat(32), spanId: '1'.repeat(16), traceFlags: 1 }), isRecording: () => true };
  for (const [what, v] of [['undefined', undefined], ['an empty object', {}]] as const) {
    rows.push({
      kind: 'config', api: 'LifecycleSpanProcessor#onStart', input: `span = ${what} (twice: reported once)`,
      call: () => { const p = new pkg.LifecycleSpanProcessor(); (p.onStart as (...a: unknown[]) => void)(v, ROOT_CONTEXT); (p.onStart as (...a: unknown[]) => void)(v, ROOT_CONTEXT); return p.shutdown(); },
      reported: /lifecycle processor failed/,
    });
    rows.push({
      kind: 'accepts', api: 'LifecycleSpanProcessor#onEnding', input: `span = ${what}, or a span it never saw start: ignored`,
      call: () => { const p = new pkg.LifecycleSpanProcessor(); p.onStart(fakeSpan as never, ROOT_CONTEXT); (p.onEnding as (...a: unknown[]) => void)(v); (p.onEnding as (...a: unknown[]) => void)(fakeSpan); return p.shutdown().then(() => p.enabled); },
      check: async (r) => expect(await r).toBe(false),
    });
  }
  rows.push({
    kind: 'accepts', api: 'LifecycleSpanProcessor#onEnd/forceFlush/shutdown', input: 'no arguments, extra arguments, repeated calls',
    call: () => { const p = new pkg.LifecycleSpanProcessor() as unknown as Record<string, (...a: unknown[]) => unknown>; return [p.onEnd(), p.onEnd(1, 2), p.forceFlush(1), p.shutdown(1), p.shutdown()]; },
    check: (r) => { expect(r[0]).toBeUndefined(); expect(r.slice(2).every((x: unknown) => x instanceof Promise)).toBe(true); },
  });
  const env = (vars: Record<string, string>) => ({ OTEL_ASYNC_CONTEXT_LIFECYCLE: 'true', ...vars });
  const envBad: Array<[Record<string, string>, RegExp, (o: any) => void]> = [
    [{ OTEL_ASYNC_CONTEXT_LIFECYCLE: 'yes' }, /OTEL_ASYNC_CONTEXT_LIFECYCLE must be 'true' or 'false'/, (o) => expect(o).toBeUndefined()],
    [env({ OTEL_ASYNC_CONTEXT_LIFECYCLE_EVENT_BUDGET: '-1' }), /EVENT_BUDGET must be an integer >= 0/, (o) => expect(o).toEqual({})],
    [env({ OTEL_ASYNC_CONTEXT_LIFECYCLE_EVENT_BUDGET: 'many' }), /EVENT_BUDGET/, (o) => expect(o).toEqual({})],
    [env({ OTEL_ASYNC_CONTEXT_LIFECYCLE_SAMPLING_RATIO: '1.5' }), /SAMPLING_RATIO must be a number from 0 to 1/, (o) => expect(o).toEqual({})],
    [env({ OTEL_ASYNC_CONTEXT_LIFECYCLE_SAMPLING_RATIO: 'half' }), /SAMPLING_RATIO/, (o) => expect(o).toEqual({})],
    [env({ OTEL_ASYNC_CONTEXT_LIFECYCLE_MAX_TRACKED_PER_SPAN: '1e3' }), /MAX_TRACKED_PER_SPAN must be an integer >= 0/, (o) => expect(o).toEqual({})],
    [env({ OTEL_ASYNC_CONTEXT_LIFECYCLE_MODE: 'verbose' }), /OTEL_ASYNC_CONTEXT_LIFECYCLE_MODE must be 'default' or 'full'/, (o) => expect(o).toEqual({})],
    [env({ OTEL_ASYNC_CONTEXT_LIFECYCLE_EVENT_THRESHOLD_MS: '-5' }), /EVENT_THRESHOLD_MS must be a number of milliseconds >= 0/, (o) => expect(o).toEqual({})],
  ];
  for (const [vars, reported, check] of envBad) {
    const input = Object.entries(vars).map(([k, v]) => `${k}=${v}`).join(' ');
    rows.push({ kind: 'config', api: 'lifecycleOptionsFromEnv', input, call: () => pkg.lifecycleOptionsFromEnv(vars), reported, check });
    rows.push({ kind: 'config', api: 'lifecycleSpanProcessorFromEnv', input, call: () => pkg.lifecycleSpanProcessorFromEnv(vars), reported, check: (p) => expect(p === undefined).toBe(vars.OTEL_ASYNC_CONTEXT_LIFECYCLE !== 'true') });
  }
  rows.push({ kind: 'accepts', api: 'lifecycleOptionsFromEnv', input: 'no argument (process.env), extra arguments', call: () => [(pkg.lifecycleOptionsFromEnv as (...a: unknown[]) => unknown)({}, 1), pkg.lifecycleSpanProcessorFromEnv({ OTEL_ASYNC_CONTEXT_LIFECYCLE: 'false' })], check: (r) => expect(r).toEqual([undefined, undefined]) });
  return rows;
}

// ------------------------------------------------- DiagnoseSpanProcessor
function diagnoseRows(): Row[] {
  const rows: Row[] = [];
  rows.push({
    kind: 'config', api: 'DiagnoseSpanProcessor#onStart', input: 'span = undefined (twice: reported once)',
    call: () => { const p = new pkg.DiagnoseSpanProcessor(); (p.onStart as (...a: unknown[]) => void)(undefined, ROOT_CONTEXT); (p.onStart as (...a: unknown[]) => void)(undefined, ROOT_CONTEXT); return p.shutdown(); },
    reported: /diagnose processor failed/,
  });
  rows.push({
    kind: 'accepts', api: 'DiagnoseSpanProcessor#onStart', input: 'span = an empty object, context = undefined: nothing to diagnose',
    call: () => { const p = new pkg.DiagnoseSpanProcessor(); (p.onStart as (...a: unknown[]) => void)({}, undefined); return p.shutdown().then(() => p.diagnoses); },
    check: async (r) => expect(await r).toEqual([]),
  });
  rows.push({
    kind: 'accepts', api: 'DiagnoseSpanProcessor#onEnd/forceFlush/shutdown', input: 'constructor and methods with no, extra or non-span arguments, repeated calls',
    call: () => {
      const p = new (pkg.DiagnoseSpanProcessor as unknown as new (...a: unknown[]) => Record<string, (...a: unknown[]) => unknown>)(1, 'x');
      return [p.onEnd(), p.onEnd(1, 2), p.onEnd(null), p.forceFlush(1), p.shutdown(1), p.shutdown()];
    },
    check: (r) => { expect(r.slice(0, 3)).toEqual([undefined, undefined, undefined]); expect(r.slice(3).every((x: unknown) => x instanceof Promise)).toBe(true); },
  });
  rows.push({
    kind: 'config', api: 'diagnoseSpanProcessorFromEnv', input: 'OTEL_ASYNC_CONTEXT_DIAGNOSE=yes',
    call: () => pkg.diagnoseSpanProcessorFromEnv({ OTEL_ASYNC_CONTEXT_DIAGNOSE: 'yes' }),
    reported: /OTEL_ASYNC_CONTEXT_DIAGNOSE must be 'true' or 'false', got "yes"; using false/, check: (p) => expect(p).toBeUndefined(),
  });
  rows.push({
    kind: 'accepts', api: 'diagnoseSpanProcessorFromEnv', input: 'extra arguments; an environment that is not an object reads as empty',
    call: () => [(pkg.diagnoseSpanProcessorFromEnv as (...a: unknown[]) => unknown)({}, 1), (pkg.diagnoseSpanProcessorFromEnv as (...a: unknown[]) => unknown)(null)],
    check: (r) => expect(r).toEqual([undefined, undefined]),
  });
  return rows;
}

// ------------------------------------------------- ConsoleTreeExporter
function exporterRows(): Row[] {
  const rows: Row[] = [];
  for (const [what, v] of [['null', null], ['a number', 1], ['a string', 'x']] as const) {
    rows.push({ kind: 'throws', api: 'ConsoleTreeExporter', input: `options = ${what}`, call: () => new pkg.ConsoleTreeExporter(v as never), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' });
  }
  rows.push({ kind: 'throws', api: 'ConsoleTreeExporter', input: '{ stream: 1 }', call: () => new pkg.ConsoleTreeExporter({ stream: 1 as never }), error: TypeError, code: 'ERR_INVALID_ARG_TYPE' });
  rows.push({
    kind: 'accepts', api: 'ConsoleTreeExporter#export/forceFlush/shutdown', input: 'no spans, extra arguments',
    call: () => { const x = new pkg.ConsoleTreeExporter({ stream: { write: () => true } as never }); const results: unknown[] = []; (x.export as (...a: unknown[]) => void)([], (r: unknown) => results.push(r), 1); return results; },
    check: (r) => expect(r).toEqual([{ code: 0 }]),
  });
  return rows;
}

// ------------------------------------------------------------- start()
const START_BASE = { exporters: ['none'], defaultInstrumentations: false, shutdown: false } as const;
function startRows(): Row[] {
  const rows: Row[] = [];
  const opt = (logger: DiagLogger, extra: Record<string, unknown>) => ({ ...START_BASE, diagLogger: logger, ...extra }) as pkg.StartOptions;
  const run = async (options: pkg.StartOptions) => {
    const d = pkg.start(options);
    const stats = { ...d.config };
    await d.shutdown();
    return stats as pkg.DistroConfig & Record<string, unknown>;
  };
  const optionCases: Array<[string, Record<string, unknown>, RegExp, ((c: any) => void)?]> = [
    ['engine', { engine: 'fast' }, /engine/, (c) => expect(c.engine).toBe('native')],
    ['engine', { engine: 1 }, /engine/, (c) => expect(c.engine).toBe('native')],
    ['exporters', { exporters: 'otlp' }, /exporters/, (c) => expect(c.exporters).toEqual(['console'])],
    ['exporters', { exporters: ['zipkin'] }, /exporters/, (c) => expect(c.exporters).toEqual([])],
    ['propagators', { propagators: 'tracecontext' }, /propagators/, (c) => expect(c.propagators).toEqual(['tracecontext', 'baggage'])],
    ['propagators', { propagators: ['b3'] }, /propagators/, (c) => expect(c.propagators).toEqual([])],
    ['batch', { batch: 1 }, /batch/, (c) => expect(c.batch.maxQueueSize).toBe(2048)],
    ['batch', { batch: { maxQueueSize: -1 } }, /maxQueueSize/, (c) => expect(c.batch.maxQueueSize).toBe(2048)],
    ['batch', { batch: { scheduledDelayMillis: 'soon' } }, /scheduledDelayMillis/, (c) => expect(c.batch.scheduledDelayMillis).toBe(5000)],
    ['logLevel', { logLevel: 'loud' }, /logLevel/, (c) => expect(c.logLevel).toBe(DiagLogLevel.INFO)],
    ['serviceName', { serviceName: 1 }, /serviceName/],
    ['resourceAttributes', { resourceAttributes: null }, /resourceAttributes/],
    ['resourceAttributes', { resourceAttributes: 'a=b' }, /resourceAttributes/],
    ['otlp', { otlp: null, exporters: ['otlp'] }, /otlp/],
    ['otlp.protocol', { otlp: { protocol: 'smoke' }, exporters: ['otlp'] }, /protocol/, (c) => expect(c.protocol).toBe('http/protobuf')],
    ['otlp.endpoint', { otlp: { endpoint: 1 }, exporters: ['otlp'] }, /endpoint/],
    ['otlp.endpoint', { otlp: { endpoint: 'not a url' }, exporters: ['otlp'] }, /endpoint/],
    ['otlp.timeoutMillis', { otlp: { timeoutMillis: -5 }, exporters: ['otlp'] }, /timeoutMillis/],
    ['otlp.timeoutMillis', { otlp: { timeoutMillis: 2 ** 31 }, exporters: ['otlp'] }, /timeoutMillis/],
    ['batch', { batch: { scheduledDelayMillis: 99999999999 } }, /scheduledDelayMillis/, (c) => expect(c.batch.scheduledDelayMillis).toBe(5000)],
    ['batch', { batch: { exportTimeoutMillis: Infinity } }, /exportTimeoutMillis/, (c) => expect(c.batch.exportTimeoutMillis).toBe(30000)],
    ['shutdown.timeoutMillis', { shutdown: { timeoutMillis: 2 ** 31 } }, /timeoutMillis/, (c) => expect(c.shutdown.timeoutMillis).toBe(2000)],
    ['otlp.headers', { otlp: { headers: 'a=b' }, exporters: ['otlp'] }, /headers/],
    ['otlp.compression', { otlp: { compression: 'zip' }, exporters: ['otlp'] }, /compression/],
    ['spanExporters', { spanExporters: 1 }, /spanExporters/],
    ['spanExporters', { spanExporters: [1] }, /spanExporters/],
    ['spanProcessors', { spanProcessors: 1 }, /spanProcessors/],
    ['spanProcessors', { spanProcessors: [{}] }, /spanProcessors/],
    ['sampler', { sampler: 1 }, /sampler/],
    ['instrumentations', { instrumentations: 1 }, /instrumentations/],
    ['instrumentations', { instrumentations: [1] }, /instrumentations/],
    ['lifecycle', { lifecycle: 'on' }, /lifecycle/],
    ['lifecycle', { lifecycle: { eventBudget: -1 } }, /eventBudget/],
    ['shutdown', { shutdown: 1 }, /shutdown/, (c) => expect(c.shutdown).toEqual(expect.objectContaining({ timeoutMillis: 2000 }))],
    ['shutdown.signals', { shutdown: { signals: 'SIGTERM' } }, /signals/],
    ['shutdown.signals', { shutdown: { signals: ['SIGNOPE'] } }, /signals/],
    ['shutdown.timeoutMillis', { shutdown: { timeoutMillis: -1 } }, /timeoutMillis/],
    ['disabled', { disabled: 'yes' }, /disabled/],
    ['diagLogger', { diagLogger: undefined, consoleStream: 1, exporters: ['console'] }, /consoleStream/],
  ];
  for (const [what, extra, reported, check] of optionCases) {
    rows.push({ kind: 'config', api: 'start', input: `${what}: ${JSON.stringify(extra[what.split('.')[0]]) ?? String(extra[what.split('.')[0]])}`, call: (logger) => run(opt(logger, { ...extra, ...(extra.diagLogger === undefined && 'diagLogger' in extra ? { diagLogger: logger } : {}) })), reported, check });
  }
  for (const [what, v] of [['null', null], ['a number', 1], ['a string', 'x'], ['an array', []]] as const) {
    rows.push({ kind: 'config', api: 'start', input: `options = ${what}`, call: async () => { const d = pkg.start(v as never); const enabled = d.enabled; await d.shutdown(); return enabled; }, reported: /options/, check: (enabled) => expect(enabled).toBe(true) });
  }
  rows.push({ kind: 'accepts', api: 'start', input: 'extra arguments, unknown option keys', call: () => { const d = (pkg.start as (...a: unknown[]) => pkg.Distro)({ ...START_BASE, diagLogger: null, colour: 'red' }, 1); return d.shutdown().then(() => d.enabled); }, check: async (r) => expect(await r).toBe(true) });
  const envCases: Array<[Record<string, string>, RegExp, ((c: any) => void)?]> = [
    [{ OTEL_SDK_DISABLED: 'maybe' }, /OTEL_SDK_DISABLED/],
    [{ OTEL_LOG_LEVEL: 'loud' }, /OTEL_LOG_LEVEL/, (c) => expect(c.logLevel).toBe(DiagLogLevel.INFO)],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, /OTEL_TRACES_EXPORTER/, (c) => expect(c.exporters).toEqual(['console'])],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'smoke' }, /OTEL_EXPORTER_OTLP_PROTOCOL/, (c) => expect(c.protocol).toBe('http/protobuf')],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, /OTEL_EXPORTER_OTLP_HEADERS/],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' }, /not a url/],
    [{ OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' }, /OTEL_EXPORTER_OTLP_TIMEOUT/],
    [{ OTEL_EXPORTER_OTLP_COMPRESSION: 'zip' }, /OTEL_EXPORTER_OTLP_COMPRESSION/],
    [{ OTEL_PROPAGATORS: 'b3' }, /OTEL_PROPAGATORS/, (c) => expect(c.propagators).toEqual(['tracecontext', 'baggage'])],
    [{ OTEL_BSP_MAX_QUEUE_SIZE: 'big' }, /OTEL_BSP_MAX_QUEUE_SIZE/, (c) => expect(c.batch.maxQueueSize).toBe(2048)],
    [{ OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '100' }, /OTEL_BSP_MAX_EXPORT_BATCH_SIZE/, (c) => expect(c.batch.maxExportBatchSize).toBe(10)],
    [{ OTEL_BSP_SCHEDULE_DELAY: '-1' }, /OTEL_BSP_SCHEDULE_DELAY/, (c) => expect(c.batch.scheduledDelayMillis).toBe(5000)],
    [{ OTEL_BSP_EXPORT_TIMEOUT: 'x' }, /OTEL_BSP_EXPORT_TIMEOUT/, (c) => expect(c.batch.exportTimeoutMillis).toBe(30000)],
    [{ OTEL_BSP_SCHEDULE_DELAY: '99999999999' }, /OTEL_BSP_SCHEDULE_DELAY/, (c) => expect(c.batch.scheduledDelayMillis).toBe(5000)],
    [{ OTEL_BSP_EXPORT_TIMEOUT: '99999999999' }, /OTEL_BSP_EXPORT_TIMEOUT/, (c) => expect(c.batch.exportTimeoutMillis).toBe(30000)],
    [{ OTEL_EXPORTER_OTLP_TIMEOUT: '99999999999' }, /OTEL_EXPORTER_OTLP_TIMEOUT/, (c) => expect(c.otlpTimeoutMillis).toBe(10000)],
    [{ OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '3e9' }, /OTEL_EXPORTER_OTLP_TRACES_TIMEOUT/, (c) => expect(c.otlpTimeoutMillis).toBe(10000)],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://u:pa55@[bad' }, /OTEL_EXPORTER_OTLP_ENDPOINT is not a URL/, (c) => expect(c.exporters).toEqual([])],
    [{ OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '-1' }, /OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT/, (c) => expect(c.limits.spanLimits.attributeCountLimit).toBe(128)],
    [{ OTEL_SPAN_EVENT_COUNT_LIMIT: 'Infinity' }, /OTEL_SPAN_EVENT_COUNT_LIMIT/, (c) => expect(c.limits.spanLimits.eventCountLimit).toBe(128)],
    [{ OTEL_SPAN_LINK_COUNT_LIMIT: 'many' }, /OTEL_SPAN_LINK_COUNT_LIMIT/, (c) => expect(c.limits.spanLimits.linkCountLimit).toBe(128)],
    [{ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '-1' }, /OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT/, (c) => expect(c.limits.spanLimits.attributeValueLengthLimit).toBe(Infinity)],
    [{ OTEL_ASYNC_CONTEXT_ENGINE: 'fast' }, /OTEL_ASYNC_CONTEXT_ENGINE/, (c) => expect(c.engine).toBe('native')],
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /OTEL_TRACES_SAMPLER/],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' }, /OTEL_TRACES_SAMPLER_ARG/],
    [{ OTEL_RESOURCE_ATTRIBUTES: 'novalue' }, /OTEL_RESOURCE_ATTRIBUTES/],
    [{ OTEL_ASYNC_CONTEXT_LIFECYCLE: 'yes' }, /OTEL_ASYNC_CONTEXT_LIFECYCLE/],
    [{ OTEL_ASYNC_CONTEXT_LIFECYCLE: 'true', OTEL_ASYNC_CONTEXT_LIFECYCLE_EVENT_BUDGET: 'x' }, /EVENT_BUDGET/],
  ];
  for (const [vars, reported, check] of envCases) {
    const needsOtlp = Object.keys(vars).some((k) => k.startsWith('OTEL_EXPORTER_OTLP'));
    const exporters = 'OTEL_TRACES_EXPORTER' in vars ? undefined : needsOtlp ? ['otlp'] : ['none'];
    rows.push({
      kind: 'config', api: 'start (environment)', input: Object.entries(vars).map(([k, v]) => `${k}=${v}`).join(' '),
      call: async (logger) => {
        const saved = { ...process.env };
        Object.assign(process.env, vars);
        try {
          return await run(opt(logger, { exporters, lifecycle: undefined, consoleStream: { write: () => true } }));
        } finally {
          for (const k of Object.keys(vars)) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
        }
      },
      reported, check,
    });
  }
  return rows;
}

const ROWS: Row[] = [...hookRows(), ...storageRows(), ...managerRows(), ...lifecycleRows(), ...diagnoseRows(), ...exporterRows(), ...startRows()];

/** What a call did: its value, or the error's class, code and message. */
function outcome(call: () => unknown): { threw: false; value: unknown } | { threw: true; error: any } {
  try {
    return { threw: false, value: call() };
  } catch (error) {
    return { threw: true, error };
  }
}

function capturingLogger(): DiagLogger & { messages: string[] } {
  const messages: string[] = [];
  const record = (...args: unknown[]) => { messages.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')); };
  return { messages, error: record, warn: record, info: noop, debug: noop, verbose: noop };
}

// The rows set the OTEL_* variables they test; a developer's or CI's own must not change the outcome.
const savedEnv: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const key of Object.keys(process.env).filter((k) => k.startsWith('OTEL_'))) {
    savedEnv[key] = process.env[key];
    delete process.env[key];
  }
});
afterAll(() => {
  for (const [key, value] of Object.entries(savedEnv)) process.env[key] = value;
});

afterEach(() => {
  // A start() that failed half-way must not leave its globals to the next row.
  trace.disable();
  context.disable();
  propagation.disable();
  diag.disable();
});

const label = (r: Row) => `${r.api}: ${r.input}`;

describe('code: a clear error with Node\'s code', () => {
  const rows = ROWS.filter((r): r is ThrowsRow => r.kind === 'throws');
  it.each(rows.map((r) => [label(r), r] as const))('%s', (_name, row) => {
    const ours = outcome(() => row.call(hooks));
    expect(ours.threw).toBe(true);
    const error = (ours as { error: any }).error;
    // By name: errors made by Node's core come from another realm than Jest's sandbox.
    expect(error?.constructor?.name).toBe(row.error.name);
    if (row.plain !== undefined) {
      expect(error.message).toMatch(row.plain);
    } else {
      expect(error.code).toBe(row.code);
      expect(error.message).not.toMatch(UNCLEAR);
    }
    if (row.reference) {
      const node = outcome(() => row.call(nodeHooks as unknown as Hooks));
      if (node.threw && node.error.code !== undefined) {
        expect([error.constructor.name, error.code]).toEqual([node.error.constructor.name, node.error.code]);
      }
      if (row.plain !== undefined) {
        // Where ours throws JavaScript's own TypeError, Node throws one too.
        expect(node.threw && node.error?.constructor?.name).toBe('TypeError');
      }
    }
  });
});

describe('code: accepted as Node accepts it', () => {
  const rows = ROWS.filter((r): r is AcceptsRow => r.kind === 'accepts');
  it.each(rows.map((r) => [label(r), r] as const))('%s', async (_name, row) => {
    const ours = outcome(() => row.call(hooks));
    if (ours.threw) throw ours.error;
    await row.check?.(ours.value);
    if (row.reference) {
      const node = outcome(() => row.call(nodeHooks as unknown as Hooks));
      expect(node.threw).toBe(false);
    }
  });
});

describe('configuration: the default, reported once through diag, never thrown', () => {
  const rows = ROWS.filter((r): r is ConfigRow => r.kind === 'config');
  it.each(rows.map((r) => [label(r), r] as const))('%s', async (_name, row) => {
    const logger = capturingLogger();
    diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    const result = await row.call(logger);
    await row.check?.(result);
    // Exactly one report of the problem, and no other warning or error (a second reader of the
    // same value, a crash reported as a diag error, an unrelated complaint) beyond those the row expects.
    const matching = logger.messages.filter((m) => row.reported.test(m));
    const others = logger.messages.filter((m) => !row.reported.test(m));
    expect({ matching: matching.length, others }).toEqual({ matching: 1, others: (row.others ?? []).map((o) => expect.stringMatching(o)) });
  });
});

describe('the table', () => {
  it('covers every function and class exported by otel-async-context and otel-async-context/hooks', () => {
    const covered = new Set(ROWS.map((r) => r.api.split(/[#.: /]/)[0]));
    const callable = (mod: object) => Object.entries(mod).filter(([, v]) => typeof v === 'function').map(([k]) => k);
    const exported = [...new Set([...callable(pkg), ...callable(hooks)])].sort();
    // The three id functions share one row.
    for (const name of ['executionAsyncId', 'triggerAsyncId', 'executionAsyncResource']) covered.add(name);
    expect(exported.filter((name) => !covered.has(name))).toEqual([]);
    expect(ROWS.length).toBeGreaterThan(200);
  });

  it('ours and the reference context manager agree where the manager passes input through', () => {
    const ref = new AsyncLocalStorageContextManager().enable();
    const ours = new pkg.AsyncContextManager().enable();
    for (const [, v] of VALUES.filter(([, v]) => typeof v !== 'function')) {
      expect(Object.is(ours.bind(ROOT_CONTEXT, v), v)).toBe(Object.is(ref.bind(ROOT_CONTEXT, v), v));
    }
    ref.disable();
  });
});
