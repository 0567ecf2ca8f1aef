/**
 * The `hooks` engine: continuation-local storage on our own `createHook` and
 * `executionAsyncResource`, the technique the reference text describes. The
 * store travels on the resources themselves, under one symbol per storage:
 * `init` copies it from the resource that is executing onto the new one, and
 * `run` sets it on the executing resource for the duration of the callback.
 * No map from ids to stores, so nothing grows with resources that never see
 * `destroy`: a store lives exactly as long as the resources that carry it.
 *
 * Where Node's own storage runs on AsyncContextFrame (Node 24 on), a storage
 * starts propagating when it is created, as a frame does, rather than at its
 * first `run`/`enterWith`: promises created in between would otherwise run
 * their continuations on Node's shared default resource, where an
 * `enterWith` after an `await` would leak to the awaiting caller.
 */
import { createInternalHook, type AsyncHook } from '../async-hook';
import { executionAsyncResource, nativeUsesAsyncContextFrame } from '../native';
import type { StorageEngine, StorageScope } from './engine';
import { RunScope } from './run-scope';

type Carrier = Record<symbol, unknown>;

/** Keys of the enabled storages; the propagation hook copies each of them. */
const enabledKeys: symbol[] = [];
let propagation: AsyncHook | undefined;

function propagate(_asyncId: number, _type: string, _triggerAsyncId: number, resource: object): void {
  const current = executionAsyncResource() as Carrier;
  const keys = enabledKeys;
  // Always written, even when undefined: Node reuses some resource objects.
  for (let i = 0; i < keys.length; i++) (resource as Carrier)[keys[i]] = current[keys[i]];
}

/** One storage of the hooks engine. */
export class HooksEngine<T> implements StorageEngine<T> {
  /** Replaced on disable(), which is what exits every context the storage was in. */
  #key: symbol;
  #enabled = false;
  readonly #name: string;

  constructor(name: string | undefined) {
    this.#name = name ?? 'AsyncLocalStorage';
    this.#key = Symbol(this.#name);
    if (nativeUsesAsyncContextFrame) this.#enable();
  }

  #enable(): void {
    if (this.#enabled) return;
    this.#enabled = true;
    enabledKeys.push(this.#key);
    propagation ??= createInternalHook({ init: propagate });
    if (enabledKeys.length === 1) propagation.enable();
  }

  run<R, A extends unknown[]>(store: T, fn: (...args: A) => R, ...args: A): R {
    this.#enable();
    const key = this.#key;
    const resource = executionAsyncResource() as Carrier;
    const previous = resource[key];
    if (previous === store) return args.length === 0 ? (fn as () => R)() : Reflect.apply(fn, null, args);
    resource[key] = store;
    try {
      return args.length === 0 ? (fn as () => R)() : Reflect.apply(fn, null, args);
    } finally {
      resource[key] = previous;
    }
  }

  getStore(): T | undefined {
    if (!this.#enabled) return undefined;
    return (executionAsyncResource() as Carrier)[this.#key] as T | undefined;
  }

  enterWith(store: T): void {
    this.#enable();
    (executionAsyncResource() as Carrier)[this.#key] = store;
  }

  withScope(store: T): StorageScope {
    return new RunScope(this, store);
  }

  disable(): void {
    if (!this.#enabled) return;
    this.#enabled = false;
    enabledKeys.splice(enabledKeys.indexOf(this.#key), 1);
    if (enabledKeys.length === 0) propagation?.disable();
    this.#key = Symbol(this.#name);
  }
}
