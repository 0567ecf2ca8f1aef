/**
 * The `native` engine: Node's own AsyncLocalStorage (AsyncContextFrame from
 * Node 24 on, async_hooks before). `defaultValue` is emulated where Node lacks
 * it, with a sentinel standing for an explicit `undefined` store so that
 * `run(undefined, fn)` still reads undefined rather than the default.
 */
import { NativeAsyncLocalStorage } from '../native';
import type { StorageEngine } from './engine';

const kUndefined = Symbol('otel-async-context.undefined-store');

/** Node's AsyncLocalStorage, as an engine. */
export class NativeEngine<T> implements StorageEngine<T> {
  readonly #als: InstanceType<typeof NativeAsyncLocalStorage>;

  constructor(options: { name?: string; defaultValue?: T } | undefined) {
    this.#als = new (NativeAsyncLocalStorage as new (o?: object) => InstanceType<typeof NativeAsyncLocalStorage>)(options);
  }

  run<R, A extends unknown[]>(store: T, fn: (...args: A) => R, args: A): R {
    // No spread for the common call without arguments.
    return args.length === 0 ? this.#als.run(store, fn as () => R) : this.#als.run(store, fn, ...args);
  }

  getStore(): T | undefined {
    return this.#als.getStore() as T | undefined;
  }

  enterWith(store: T): void {
    this.#als.enterWith(store);
  }

  disable(): void {
    this.#als.disable();
  }

  /** Node's own `withScope`; call only where `nativeHasWithScope`. */
  withScope(store: T): { dispose(): void; [Symbol.dispose](): void } {
    return (this.#als as unknown as { withScope(s: T): { dispose(): void; [Symbol.dispose](): void } }).withScope(store);
  }
}

/** The native engine for Node lines whose AsyncLocalStorage lacks `defaultValue`. */
export class NativeEngineWithDefault<T> implements StorageEngine<T> {
  readonly #als = new NativeAsyncLocalStorage();
  readonly #defaultValue: T;

  constructor(defaultValue: T) {
    this.#defaultValue = defaultValue;
  }

  run<R, A extends unknown[]>(store: T, fn: (...args: A) => R, args: A): R {
    return this.#als.run(store === undefined ? kUndefined : store, fn, ...args);
  }

  getStore(): T | undefined {
    const store = this.#als.getStore();
    if (store === undefined) return this.#defaultValue;
    return store === kUndefined ? undefined : store as T;
  }

  enterWith(store: T): void {
    this.#als.enterWith(store === undefined ? kUndefined : store);
  }

  disable(): void {
    this.#als.disable();
  }
}
