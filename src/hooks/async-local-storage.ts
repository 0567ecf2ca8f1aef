/**
 * `AsyncLocalStorage`: one public class, two engines behind it (see
 * storage/). The engine is chosen per instance with `{ engine }`, or for the
 * process with OTEL_ASYNC_CONTEXT_ENGINE; by default it is `native`: 2.5x
 * faster per await hop on Node 24+, and on Node 20/22 within noise of `hooks`
 * while sharing Node's one promise hook with every other storage (docs/hooks.md).
 */
import { AsyncResource } from './async-resource';
import { invalidArgValue, validateFunction, validateObject } from './errors';
import { nativeHasOptions, nativeHasWithScope } from './native';
import { ENGINE_NAMES, type EngineName, type StorageEngine } from './storage/engine';
import { HooksEngine } from './storage/hooks-engine';
import { NativeEngine, NativeEngineWithDefault } from './storage/native-engine';
import { RunScope } from './storage/run-scope';

export type { EngineName } from './storage/engine';
export { RunScope } from './storage/run-scope';

/** What `withScope` returns: `dispose()` (idempotent) restores the previous store. */
export interface StorageScope {
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Options of `new AsyncLocalStorage(options)`. */
export interface AsyncLocalStorageOptions<T> {
  /** Which engine stores the contexts; default: OTEL_ASYNC_CONTEXT_ENGINE, else `native`. */
  engine?: EngineName;
  /** The value `getStore()` returns when no store has been entered. */
  defaultValue?: T;
  /** A name for the storage, for diagnostics. */
  name?: string;
}

/** The engine used when the constructor is given none. */
export function defaultEngine(): EngineName {
  const fromEnv = process.env.OTEL_ASYNC_CONTEXT_ENGINE;
  if (fromEnv === undefined || fromEnv === '') return 'native';
  const name = fromEnv.trim().toLowerCase();
  if (!(ENGINE_NAMES as readonly string[]).includes(name)) {
    throw invalidArgValue('OTEL_ASYNC_CONTEXT_ENGINE', fromEnv, `must be one of ${ENGINE_NAMES.map((e) => `'${e}'`).join(', ')}`);
  }
  return name as EngineName;
}

function createEngine<T>(engine: EngineName, name: string | undefined, defaultValue: T | undefined): StorageEngine<T> {
  if (engine === 'hooks') return new HooksEngine<T>({ name, defaultValue });
  if (defaultValue !== undefined && !nativeHasOptions) return new NativeEngineWithDefault<T>(defaultValue);
  return new NativeEngine<T>(nativeHasOptions ? { name, defaultValue } : undefined);
}

/** Stores data that follows the asynchronous calls made within `run()`. */
export class AsyncLocalStorage<T> {
  readonly #engine: StorageEngine<T>;
  readonly #engineName: EngineName;
  readonly #name: string;

  constructor(options: AsyncLocalStorageOptions<T> = {}) {
    validateObject(options as unknown, 'options');
    const { engine, defaultValue, name } = options as AsyncLocalStorageOptions<T>;
    if (engine !== undefined && !(ENGINE_NAMES as readonly unknown[]).includes(engine)) {
      throw invalidArgValue('options.engine', engine, `must be one of ${ENGINE_NAMES.map((e) => `'${e}'`).join(', ')}`);
    }
    this.#engineName = engine ?? defaultEngine();
    this.#name = name === undefined ? '' : `${name}`;
    this.#engine = createEngine(this.#engineName, name === undefined ? undefined : this.#name, defaultValue);
  }

  /** The storage's name, or '' when none was given. */
  get name(): string {
    return this.#name;
  }

  /** Which engine this storage runs on. */
  get engine(): EngineName {
    return this.#engineName;
  }

  /**
   * Binds `fn` to the current execution context: when called later, it sees
   * the stores of every AsyncLocalStorage as they are now.
   */
  static bind<Func extends (...args: any[]) => any>(fn: Func): Func {
    validateFunction(fn as unknown, 'fn');
    return AsyncResource.bind(fn);
  }

  /** Captures the current execution context; the returned function runs a callback in it. */
  static snapshot(): <R, TArgs extends any[]>(fn: (...args: TArgs) => R, ...args: TArgs) => R {
    return AsyncResource.bind(function runInSnapshot(fn: (...args: unknown[]) => unknown, ...args: unknown[]) {
      validateFunction(fn, 'fn');
      return Reflect.apply(fn, null, args);
    }) as <R, TArgs extends any[]>(fn: (...args: TArgs) => R, ...args: TArgs) => R;
  }

  /** Runs `fn` synchronously with `store` as the store, and in all async work it starts. */
  run<R, TArgs extends any[]>(store: T, fn: (...args: TArgs) => R, ...args: TArgs): R {
    if (typeof fn !== 'function') validateFunction(fn as unknown, 'callback');
    return this.#engine.run(store, fn, args);
  }

  /** Runs `fn` synchronously with no store, and in all async work it starts. */
  exit<R, TArgs extends any[]>(fn: (...args: TArgs) => R, ...args: TArgs): R {
    validateFunction(fn as unknown, 'callback');
    return this.#engine.run(undefined as T, fn, args);
  }

  /** The current store, or the default value when none was entered. */
  getStore(): T | undefined {
    return this.#engine.getStore();
  }

  /** Enters `store` for the rest of the current synchronous execution and what it starts. */
  enterWith(store: T): void {
    this.#engine.enterWith(store);
  }

  /**
   * Enters `store` until the returned scope is disposed:
   * `using scope = storage.withScope(store)`.
   */
  withScope(store: T): StorageScope {
    if (nativeHasWithScope && this.#engine instanceof NativeEngine) {
      return this.#engine.withScope(store);
    }
    return new RunScope(this.#engine as StorageEngine<unknown>, store);
  }

  /** Exits every context of this storage; `getStore()` is empty until the next `run`/`enterWith`. */
  disable(): void {
    this.#engine.disable();
  }
}

