/**
 * The `native` engine: Node's own AsyncLocalStorage (AsyncContextFrame from
 * Node 24 on, async_hooks before). Where Node lacks `defaultValue` the public
 * class wraps it in `WithDefaultValue`; where it lacks `withScope`, `RunScope`
 * stands in.
 */
import { NativeAsyncLocalStorage, nativeHasWithScope } from '../native';
import type { StorageEngine, StorageScope } from './engine';
import { RunScope } from './run-scope';

type NativeStorage = InstanceType<typeof NativeAsyncLocalStorage> & { withScope?(store: unknown): StorageScope };

/** Node's AsyncLocalStorage, as an engine. */
export class NativeEngine<T> implements StorageEngine<T> {
  readonly #als: NativeStorage;

  /** @param options `{ name, defaultValue }`, passed to Node only where Node honours them. */
  constructor(options: { name?: string; defaultValue?: T } | undefined) {
    this.#als = new (NativeAsyncLocalStorage as new (o?: object) => NativeStorage)(options);
  }

  run<R, A extends unknown[]>(store: T, fn: (...args: A) => R, ...args: A): R {
    // The arguments are forwarded as they came (a rest parameter spread on
    // unchanged): V8 passes them through without making an array per call.
    return this.#als.run(store, fn, ...args);
  }

  getStore(): T | undefined {
    return this.#als.getStore() as T | undefined;
  }

  enterWith(store: T): void {
    this.#als.enterWith(store);
  }

  withScope(store: T): StorageScope {
    return nativeHasWithScope ? this.#als.withScope!(store) : new RunScope(this, store);
  }

  disable(): void {
    this.#als.disable();
  }
}
