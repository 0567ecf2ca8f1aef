/**
 * `AsyncContextManager`: the OpenTelemetry ContextManager on the engine's
 * AsyncLocalStorage. The active Context is the storage's store; each manager
 * has a storage of its own, so two managers never see each other's contexts.
 * `disable()` disables that storage and drops it; the next use starts a new
 * one: Node 24's AsyncContextFrame keeps a disabled storage's store in the
 * frames of work already scheduled, and a fresh storage is the way to never
 * read them again (and a disabled manager holds no storage, so no hook).
 */
import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { EventEmitter } from 'node:events';
import { validateObject } from '../hooks/errors';
import { AsyncLocalStorage } from '../hooks/async-local-storage';
import type { EngineName } from '../hooks/storage/engine';
import { bindEmitter } from './bind-emitter';
import { bindEventTarget } from './bind-event-target';
import { bindFunction } from './bind-function';
import type { RunInContext } from './run-in-context';

/** Options of `new AsyncContextManager(options)`. */
export interface AsyncContextManagerOptions {
  /**
   * The storage engine: `native` (Node's AsyncLocalStorage) or `hooks` (ours,
   * on createHook). Default: OTEL_ASYNC_CONTEXT_ENGINE, else `native`.
   */
  engine?: EngineName;
}

/**
 * What `attach()` returns: `dispose()` (idempotent, also `[Symbol.dispose]`
 * for `using`) restores the context that was active before, last in first out.
 */
export interface ContextToken {
  dispose(): void;
  [Symbol.dispose](): void;
}

/** A ContextManager for Node.js whose contexts follow every async boundary. */
export class AsyncContextManager implements ContextManager {
  /** Undefined after disable() until the next use: an idle manager keeps no storage (and no hook). */
  #storage: AsyncLocalStorage<Context> | undefined;
  readonly #engine: EngineName;
  /** Marks the emitters and EventTargets this manager has bound. */
  readonly #bindingKey = Symbol('opentelemetry-context.binding');
  /** Set by disable(), cleared by with()/attach(). */
  #disabled = false;
  /** Bound calls running now while disabled (they nest). */
  #disabledCalls = 0;
  /**
   * What bound functions and listeners call: reads the current storage at call
   * time. While the manager is disabled, a bound call still runs in its context
   * but leaves the manager disabled: its storage is replaced afterwards, so a
   * listener bound before `shutdown()` that fires later enables no hook for good.
   */
  readonly #run: RunInContext = (context, fn, a, b, c) => {
    if (!this.#disabled) return (this.#storage ?? this.#restart()).run(context, fn, a, b, c);
    this.#disabledCalls++;
    try {
      return (this.#storage ?? this.#restart()).run(context, fn, a, b, c);
    } finally {
      if (--this.#disabledCalls === 0 && this.#disabled) this.disable();
    }
  };

  /**
   * @param options `{ engine }`; a bad value throws a TypeError with Node's
   *   `code` (ERR_INVALID_ARG_TYPE or ERR_INVALID_ARG_VALUE).
   */
  constructor(options?: AsyncContextManagerOptions) {
    if (options !== undefined) validateObject(options as unknown, 'options');
    const engine = options?.engine;
    // AsyncLocalStorage rejects an unknown engine (ERR_INVALID_ARG_VALUE, 'options.engine').
    this.#storage = AsyncContextManager.#createStorage(engine);
    this.#engine = this.#storage.engine;
  }

  static #createStorage(engine: EngineName | undefined): AsyncLocalStorage<Context> {
    return new AsyncLocalStorage<Context>({ engine, name: 'opentelemetry-context' });
  }

  /** A new storage after disable(), made when something enters a context again. */
  #restart(): AsyncLocalStorage<Context> {
    return this.#storage = AsyncContextManager.#createStorage(this.#engine);
  }

  /** Which storage engine this manager runs on. */
  get engine(): EngineName {
    return this.#engine;
  }

  /** The active context, or ROOT_CONTEXT when none is. */
  active(): Context {
    return this.#storage?.getStore() ?? ROOT_CONTEXT;
  }

  /**
   * Calls `fn` with `context` active (and active in the async work it starts),
   * `thisArg` as `this` and `args` as arguments; returns what `fn` returns and
   * throws what it throws. The previous context is active again afterwards.
   */
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A
  ): ReturnType<F> {
    if (this.#disabled) this.#disabled = false;
    const storage = this.#storage ?? this.#restart();
    if (thisArg === undefined) {
      // No spread for the common call without arguments (the api's with() passes none).
      return args.length === 0 ? storage.run(context, fn as () => ReturnType<F>) : storage.run(context, fn, ...args);
    }
    return storage.run(context, Reflect.apply, fn, thisArg, args) as ReturnType<F>;
  }

  /**
   * Binds `target` to `context`: a function then always runs with `context`
   * active (keeping its `name` and `length`); an EventEmitter or EventTarget
   * runs the listeners added from now on with `context` active. Anything else
   * is returned unchanged.
   */
  bind<T>(context: Context, target: T): T {
    if (target instanceof EventEmitter) return bindEmitter(this.#run, this.#bindingKey, context, target);
    if (typeof target === 'function') return bindFunction(this.#run, context, target);
    if (typeof EventTarget === 'function' && target instanceof EventTarget) {
      return bindEventTarget(this.#run, this.#bindingKey, context, target);
    }
    return target;
  }

  /**
   * Makes `context` active for the rest of the current synchronous execution
   * and the async work it starts, until the returned token is disposed:
   * `using token = manager.attach(ctx)`. Prefer `with()`: called in an async
   * function before its first `await`, `attach` changes the caller's context
   * too until the token is disposed.
   */
  attach(context: Context): ContextToken {
    if (this.#disabled) this.#disabled = false;
    return (this.#storage ?? this.#restart()).withScope(context);
  }

  /**
   * Starts managing contexts; returns this. Idempotent (the storage starts on
   * first use). After `disable()`, bound calls propagate their context into
   * the async work they start again.
   */
  enable(): this {
    this.#disabled = false;
    return this;
  }

  /**
   * Exits every context this manager has entered, including those of async
   * work already scheduled: `active()` is ROOT_CONTEXT everywhere until the
   * next `with`/`attach`/bound call. Returns this. Idempotent.
   */
  disable(): this {
    this.#storage?.disable();
    this.#storage = undefined;
    this.#disabled = true;
    return this;
  }
}
