/**
 * `AsyncLocalStorage`: one public class, two engines behind it (see
 * storage/). The engine is chosen per instance with `{ engine }`, or for the
 * process with OTEL_ASYNC_CONTEXT_ENGINE; by default it is `native`: 2.5x
 * faster per await hop on Node 24+, and on Node 20/22 within noise of `hooks`
 * while sharing Node's one promise hook with every other storage (docs/hooks.md).
 */
import { AsyncResource } from './async-resource';
import { invalidArgValue, validateFunction, validateObject } from './errors';
import { nativeHasOptions } from './native';
import { WithDefaultValue } from './storage/default-value';
import { ENGINE_NAMES, parseEngineName, type EngineName, type StorageEngine, type StorageScope } from './storage/engine';
import { HooksEngine } from './storage/hooks-engine';
import { NativeEngine } from './storage/native-engine';

export type { EngineName, StorageScope } from './storage/engine';

/** Options of `new AsyncLocalStorage(options)`. */
export interface AsyncLocalStorageOptions<T> {
  /** Which engine stores the contexts; default: OTEL_ASYNC_CONTEXT_ENGINE, else `native`. */
  engine?: EngineName;
  /** The value `getStore()` returns when no store has been entered. */
  defaultValue?: T;
  /** A name for the storage, for diagnostics. */
  name?: string;
}

/** Node's way of saying it: `must be one of 'native', 'hooks'`. */
const MUST_BE_ENGINE = `must be one of ${ENGINE_NAMES.map((e) => `'${e}'`).join(', ')}`;

/** The engine used when the constructor is given none: OTEL_ASYNC_CONTEXT_ENGINE, else `native`. */
export function defaultEngine(): EngineName {
  const fromEnv = process.env.OTEL_ASYNC_CONTEXT_ENGINE;
  if (fromEnv === undefined || fromEnv === '') return 'native';
  const engine = parseEngineName(fromEnv, 'environment');
  if (engine === undefined) throw invalidArgValue('OTEL_ASYNC_CONTEXT_ENGINE', fromEnv, MUST_BE_ENGINE);
  return engine;
}

function createEngine<T>(engine: EngineName, name: string | undefined, defaultValue: T | undefined): StorageEngine<T> {
  if (engine === 'native' && (nativeHasOptions || defaultValue === undefined)) {
    return new NativeEngine<T>(nativeHasOptions ? { name, defaultValue } : undefined);
  }
  const inner = engine === 'hooks' ? new HooksEngine<unknown>(name) : new NativeEngine<unknown>(undefined);
  return defaultValue === undefined ? inner as StorageEngine<T> : new WithDefaultValue<T>(inner, defaultValue);
}

/** Stores data that follows the asynchronous calls made within `run()`. */
export class AsyncLocalStorage<T> {
  readonly #engine: StorageEngine<T>;
  readonly #engineName: EngineName;
  readonly #name: string;

  constructor(options: AsyncLocalStorageOptions<T> = {}) {
    validateObject(options as unknown, 'options');
    const { engine, defaultValue, name } = options as AsyncLocalStorageOptions<T>;
    const parsed = engine === undefined ? defaultEngine() : parseEngineName(engine);
    if (parsed === undefined) throw invalidArgValue('options.engine', engine, MUST_BE_ENGINE);
    this.#engineName = parsed;
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
    return this.#engine.run(store, fn, ...args);
  }

  /** Runs `fn` synchronously with no store, and in all async work it starts. */
  exit<R, TArgs extends any[]>(fn: (...args: TArgs) => R, ...args: TArgs): R {
    validateFunction(fn as unknown, 'callback');
    return this.#engine.run(undefined as T, fn, ...args);
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
    return this.#engine.withScope(store);
  }

  /** Exits every context of this storage; `getStore()` is empty until the next `run`/`enterWith`. */
  disable(): void {
    this.#engine.disable();
  }
}

