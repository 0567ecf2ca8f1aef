/**
 * How one `AsyncHook` of ours becomes one native hook: the callbacks that
 * Node's `createHook` is given for it. Node itself calls every enabled native
 * hook, in the order they were enabled, from one loop per event, and defers an
 * `enable()`/`disable()` made inside a callback until the outermost callback
 * returns (its `tmp_array`); giving each hook of ours its own native hook
 * inherits all of that. What a wrapper adds, and only for its own hook:
 *
 * - User hooks: the recursion guard. A resource created while one of this
 *   hook's callbacks runs (a `console.log` in `init`), or while a resource so
 *   created executes, is not reported to this hook. Until the hook's callbacks
 *   create their first resource, the guard costs one counter check per event.
 * - Internal hooks (the package's own): a throw is caught and reported once
 *   per hook, never thrown into the application; no recursion guard (their
 *   callbacks create no async resources).
 * - `trackPromises: false` on Node lines that lack the option (20.x, 22.x):
 *   the wrapper drops PROMISE events itself: `init` by type, `before`/`after`
 *   by the executing resource, `destroy` by the ids of the promises whose
 *   `init` this hook dropped.
 */
import { executionAsyncId, executionAsyncResource, supportsTrackPromises } from './native';

export type HookKind = 'init' | 'before' | 'after' | 'destroy' | 'promiseResolve';

/** The callbacks of one hook, as read once from the object given to `createHook`. */
export interface HookFunctions {
  init?: (asyncId: number, type: string, triggerAsyncId: number, resource: object) => void;
  before?: (asyncId: number) => void;
  after?: (asyncId: number) => void;
  destroy?: (asyncId: number) => void;
  promiseResolve?: (asyncId: number) => void;
}

/** What Node's `createHook` is given for one hook of ours. */
export type NativeCallbacks = HookFunctions & { trackPromises?: boolean };

/** Most resources one hook keeps marked: ids of marked resources that never see destroy go oldest first. */
const MAX_MARKED = 10_000;

/** Reports an internal hook's failure (once per hook): telemetry never throws into the app. */
function reportInternalFailure(err: unknown): void {
  try {
    process.emitWarning(`otel-async-context: an internal async hook failed and was skipped: ${(err as Error)?.stack ?? err}`,
      { code: 'OTEL_ASYNC_CONTEXT_HOOK_FAILED' });
  } catch {
    // Nothing more can be done without risking the application.
  }
}

/**
 * The wrapper state of one user hook: how deep its callbacks are running now,
 * and the resources its callbacks created (by asyncId), made on first need.
 */
class RecursionGuard {
  depth = 0;
  marks: Set<number> | undefined;

  /** Whether a resource initialised now must be hidden from the hook (and marks it if so). */
  hidesInit(asyncId: number): boolean {
    const marks = this.marks;
    if (this.depth === 0 && (marks === undefined || marks.size === 0 || !marks.has(executionAsyncId()))) return false;
    this.mark(asyncId);
    return true;
  }

  mark(asyncId: number): void {
    const marks = this.marks ??= new Set();
    if (marks.size >= MAX_MARKED) marks.delete(marks.values().next().value as number);
    marks.add(asyncId);
  }
}

/**
 * The native callbacks for one hook of ours: `owner` is `this` in the user's
 * callbacks; `internal` selects the report-once wrapper instead of the guard.
 */
export function nativeCallbacks(owner: object, fns: HookFunctions, trackPromises: boolean, internal: boolean): NativeCallbacks {
  const filterPromises = !trackPromises && !supportsTrackPromises;
  const out: NativeCallbacks = internal ? internalCallbacks(owner, fns) : guardedCallbacks(owner, fns);
  if (filterPromises) withPromiseFilter(out, fns.destroy !== undefined);
  if (!trackPromises && supportsTrackPromises) out.trackPromises = false;
  return out;
}

function internalCallbacks(owner: object, fns: HookFunctions): NativeCallbacks {
  let reported = false;
  const fail = (err: unknown): void => {
    if (reported) return;
    reported = true;
    reportInternalFailure(err);
  };
  const out: NativeCallbacks = {};
  const { init } = fns;
  if (init !== undefined) {
    out.init = function internalInit(asyncId, type, triggerAsyncId, resource) {
      try {
        init.call(owner, asyncId, type, triggerAsyncId, resource);
      } catch (err) {
        fail(err);
      }
    };
  }
  for (const kind of ['before', 'after', 'destroy', 'promiseResolve'] as const) {
    const fn = fns[kind];
    if (fn === undefined) continue;
    out[kind] = function internalEvent(asyncId: number) {
      try {
        fn.call(owner, asyncId);
      } catch (err) {
        fail(err);
      }
    };
  }
  return out;
}

function guardedCallbacks(owner: object, fns: HookFunctions): NativeCallbacks {
  const guard = new RecursionGuard();
  const out: NativeCallbacks = {};
  const { init, destroy } = fns;
  if (init !== undefined) {
    out.init = function init_(asyncId, type, triggerAsyncId, resource) {
      if (guard.hidesInit(asyncId)) return;
      guard.depth++;
      try {
        // A throw goes on into Node, which prints the stack and exits (the reference's error handling).
        init.call(owner, asyncId, type, triggerAsyncId, resource);
      } finally {
        guard.depth--;
      }
    };
  } else {
    // Without an init callback the hook still needs to know what its other callbacks created.
    out.init = function markOnly(asyncId) {
      guard.hidesInit(asyncId);
    };
  }
  for (const kind of ['before', 'after', 'promiseResolve'] as const) {
    const fn = fns[kind];
    if (fn === undefined) continue;
    out[kind] = function event(asyncId: number) {
      const marks = guard.marks;
      if (marks !== undefined && marks.size !== 0 && marks.has(asyncId)) return;
      guard.depth++;
      try {
        fn.call(owner, asyncId);
      } finally {
        guard.depth--;
      }
    };
  }
  if (destroy !== undefined) {
    out.destroy = function destroy_(asyncId: number) {
      const marks = guard.marks;
      if (marks !== undefined && marks.size !== 0 && marks.delete(asyncId)) return;
      guard.depth++;
      try {
        destroy.call(owner, asyncId);
      } finally {
        guard.depth--;
      }
    };
  }
  return out;
}

/**
 * Drops PROMISE events from `out` on lines where Node has no `trackPromises`:
 * the promises whose init is dropped are remembered (when the hook has a
 * destroy callback) until their destroy arrives, which is then dropped too.
 */
function withPromiseFilter(out: NativeCallbacks, hasDestroy: boolean): void {
  const { init, before, after, destroy } = out;
  const promiseIds = hasDestroy ? new Set<number>() : undefined;
  if (init !== undefined || promiseIds !== undefined) {
    out.init = function initExceptPromises(asyncId, type, triggerAsyncId, resource) {
      if (type === 'PROMISE') {
        promiseIds?.add(asyncId);
        return;
      }
      init?.(asyncId, type, triggerAsyncId, resource);
    };
  }
  // Node's own AsyncLocalStorage on these lines calls executionAsyncResource() too.
  if (before !== undefined) {
    out.before = function beforeExceptPromises(asyncId: number) {
      if (!(executionAsyncResource() instanceof Promise)) before(asyncId);
    };
  }
  if (after !== undefined) {
    out.after = function afterExceptPromises(asyncId: number) {
      if (!(executionAsyncResource() instanceof Promise)) after(asyncId);
    };
  }
  if (destroy !== undefined && promiseIds !== undefined) {
    out.destroy = function destroyExceptPromises(asyncId: number) {
      if (promiseIds.size !== 0 && promiseIds.delete(asyncId)) return;
      destroy(asyncId);
    };
  }
}

/** @deprecated Kept for the scripts written against the channel dispatcher: use `enabledHookStats()` of async-hook.ts. */
export { enabledHookStats as channelStats } from './async-hook';
