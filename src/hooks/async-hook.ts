/**
 * `createHook` and the `AsyncHook` it returns, with Node's contract: callbacks
 * read once through the prototype chain, all optional, called with the hook as
 * `this`; `enable()`/`disable()` return the hook and are idempotent. Each hook
 * is one native hook (see dispatch.ts), so Node orders the hooks and defers an
 * enable or disable made inside a callback exactly as it does for its own.
 */
import { asyncCallback, invalidArgType, invalidArgValue } from './errors';
import { nativeCallbacks, type HookFunctions, type HookKind } from './dispatch';
import { nativeCreateHook } from './native';

/** The callbacks of `createHook`, as in `node:async_hooks`. */
export interface HookCallbacks {
  init?(asyncId: number, type: string, triggerAsyncId: number, resource: object): void;
  before?(asyncId: number): void;
  after?(asyncId: number): void;
  destroy?(asyncId: number): void;
  promiseResolve?(asyncId: number): void;
  /**
   * Whether the hook sees PROMISE resources (default true, as in Node). Where
   * Node supports it (24.x, 25+), false keeps await hops at their unhooked cost.
   */
  trackPromises?: boolean;
}

const KINDS: readonly HookKind[] = ['init', 'before', 'after', 'destroy', 'promiseResolve'];
/** Marks hooks that the package itself installs: see `createInternalHook`. */
const kInternal = Symbol('otel-async-context.internal');

type NativeHook = ReturnType<typeof nativeCreateHook>;

/** The enabled hooks of ours, for `enabledHookStats()`; Node keeps its own list. */
const enabledHooks = new Set<AsyncHook>();

/** A set of lifecycle callbacks that can be enabled and disabled as one. */
export class AsyncHook {
  /** Undefined for a hook without callbacks, which stays a no-op. */
  readonly #native: NativeHook | undefined;
  readonly #kinds: readonly HookKind[];
  readonly #trackPromises: boolean;
  #enabled = false;

  /** @internal Use `createHook`. */
  constructor(callbacks: HookCallbacks, internal?: typeof kInternal) {
    if (callbacks === null || typeof callbacks !== 'object' && typeof callbacks !== 'function') {
      throw invalidArgType('callbacks', 'of type object', callbacks);
    }
    const trackPromises = callbacks.trackPromises;
    if (trackPromises !== undefined && typeof trackPromises !== 'boolean') {
      throw invalidArgType('options.trackPromises', 'of type boolean', trackPromises);
    }
    this.#trackPromises = trackPromises !== false;
    const fns: Record<string, unknown> = {};
    const kinds: HookKind[] = [];
    for (const kind of KINDS) {
      const fn = callbacks[kind];
      if (fn === undefined) continue;
      if (typeof fn !== 'function') throw asyncCallback(`hook.${kind}`);
      fns[kind] = fn;
      kinds.push(kind);
    }
    if (!this.#trackPromises && callbacks.promiseResolve !== undefined) {
      throw invalidArgValue('options.promiseResolve', 'a function', 'must not be set when trackPromises is false');
    }
    this.#kinds = kinds;
    this.#native = kinds.length === 0 ? undefined : nativeCreateHook(
      nativeCallbacks(this, fns as HookFunctions, this.#trackPromises, internal === kInternal) as Parameters<typeof nativeCreateHook>[0],
    );
  }

  /**
   * Starts calling the callbacks. Called from inside a hook callback, it takes
   * effect when the outermost callback returns, as in Node.
   */
  enable(): this {
    if (this.#enabled) return this;
    this.#enabled = true;
    if (this.#native !== undefined) {
      enabledHooks.add(this);
      this.#native.enable();
    }
    return this;
  }

  /** Stops calling the callbacks until `enable()` is called again (deferred like `enable()`). */
  disable(): this {
    if (!this.#enabled) return this;
    this.#enabled = false;
    if (this.#native !== undefined) {
      enabledHooks.delete(this);
      this.#native.disable();
    }
    return this;
  }

  /** @internal The callback kinds and promise interest, for `enabledHookStats()`. */
  get stats(): { kinds: readonly HookKind[]; trackPromises: boolean } {
    return { kinds: this.#kinds, trackPromises: this.#trackPromises };
  }
}

/**
 * Registers callbacks for the lifetime events of every async resource.
 * The hook starts disabled: call `enable()`.
 */
export function createHook(callbacks: HookCallbacks): AsyncHook {
  return new AsyncHook(callbacks);
}

/**
 * A hook of the package itself: a throw is caught and reported once per hook
 * instead of ending the process, and its callbacks are kept out of the
 * recursion guard (they must create no async resources).
 */
export function createInternalHook(callbacks: HookCallbacks): AsyncHook {
  return new AsyncHook(callbacks, kInternal);
}

/**
 * How many enabled hooks of ours have each callback, keyed
 * `promises.<kind>` / `noPromises.<kind>` by their promise interest: all zero
 * once every feature that enabled a hook has stopped (tests and diagnostics).
 */
export function enabledHookStats(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const group of ['promises', 'noPromises']) for (const kind of KINDS) out[`${group}.${kind}`] = 0;
  for (const hook of enabledHooks) {
    const { kinds, trackPromises } = hook.stats;
    for (const kind of kinds) out[`${trackPromises ? 'promises' : 'noPromises'}.${kind}`]++;
  }
  return out;
}
