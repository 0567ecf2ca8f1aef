/**
 * `createHook` and the `AsyncHook` it returns, with Node's contract: callbacks
 * read once through the prototype chain, all optional, called with the hook as
 * `this`; `enable()`/`disable()` return the hook and are idempotent.
 */
import { asyncCallback, invalidArgType, invalidArgValue } from './errors';
import { channel, type HookKind, type Subscriber } from './dispatch';

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

/** A set of lifecycle callbacks that can be enabled and disabled as one. */
export class AsyncHook {
  readonly #subscriptions: Array<[HookKind, Subscriber]> = [];
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
    for (const kind of KINDS) {
      const fn = callbacks[kind];
      if (fn === undefined) continue;
      if (typeof fn !== 'function') throw asyncCallback(`hook.${kind}`);
      this.#subscriptions.push([kind, { owner: this, fn: fn as Subscriber['fn'], internal: internal === kInternal }]);
    }
    if (!this.#trackPromises && callbacks.promiseResolve !== undefined) {
      throw invalidArgValue('options.promiseResolve', 'a function', 'must not be set when trackPromises is false');
    }
  }

  /** Starts calling the callbacks. A hook without callbacks stays a no-op. */
  enable(): this {
    if (this.#enabled) return this;
    this.#enabled = true;
    for (const [kind, sub] of this.#subscriptions) channel(kind, this.#trackPromises).add(sub);
    return this;
  }

  /** Stops calling the callbacks until `enable()` is called again. */
  disable(): this {
    if (!this.#enabled) return this;
    this.#enabled = false;
    for (const [kind] of this.#subscriptions) channel(kind, this.#trackPromises).remove(this);
    return this;
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
 * A hook of the package itself: a throw is caught and reported once instead of
 * ending the process, and its callbacks are kept out of the recursion guard
 * (they must create no async resources).
 */
export function createInternalHook(callbacks: HookCallbacks): AsyncHook {
  return new AsyncHook(callbacks, kInternal);
}
