/**
 * `defaultValue` for engines that lack it (the hooks engine; the native one
 * before Node 24): a decorator that stores a sentinel for an explicit
 * `undefined`, so that `run(undefined, fn)` still reads undefined rather than
 * the default, and reads the default where no store was entered.
 */
import type { StorageEngine, StorageScope } from './engine';

const kUndefined = Symbol('otel-async-context.undefined-store');

/** An engine whose `getStore()` returns `defaultValue` where no store was entered. */
export class WithDefaultValue<T> implements StorageEngine<T> {
  readonly #inner: StorageEngine<unknown>;
  readonly #defaultValue: T;

  constructor(inner: StorageEngine<unknown>, defaultValue: T) {
    this.#inner = inner;
    this.#defaultValue = defaultValue;
  }

  run<R, A extends unknown[]>(store: T, fn: (...args: A) => R, ...args: A): R {
    return this.#inner.run(store === undefined ? kUndefined : store, fn, ...args);
  }

  getStore(): T | undefined {
    const store = this.#inner.getStore();
    if (store === undefined) return this.#defaultValue;
    return store === kUndefined ? undefined : store as T;
  }

  enterWith(store: T): void {
    this.#inner.enterWith(store === undefined ? kUndefined : store);
  }

  withScope(store: T): StorageScope {
    return this.#inner.withScope(store === undefined ? kUndefined : store);
  }

  disable(): void {
    this.#inner.disable();
  }
}
