/** The contract that both AsyncLocalStorage engines implement, and the engine names. */

/** What `withScope` returns: `dispose()` (idempotent) restores the previous store. */
export interface StorageScope {
  dispose(): void;
  [Symbol.dispose](): void;
}

/** One storage of an engine. */
export interface StorageEngine<T> {
  run<R, A extends unknown[]>(store: T, fn: (...args: A) => R, ...args: A): R;
  getStore(): T | undefined;
  enterWith(store: T): void;
  /** Enters `store` until the returned scope is disposed. */
  withScope(store: T): StorageScope;
  disable(): void;
}

/** The names of the engines, as accepted by the `engine` option and OTEL_ASYNC_CONTEXT_ENGINE. */
export type EngineName = 'native' | 'hooks';

/** Every engine name, in the order error messages list them. */
export const ENGINE_NAMES: readonly EngineName[] = ['native', 'hooks'];

/** The engine names as a message lists them: `'native' or 'hooks'`. */
export const ENGINE_NAMES_TEXT = ENGINE_NAMES.map((e) => `'${e}'`).join(' or ');

/**
 * The one reader of engine names: an option value (the constructor's, the
 * manager's, `start()`'s) must be a name exactly; the text of
 * OTEL_ASYNC_CONTEXT_ENGINE may differ in case and surrounding spaces. Returns
 * undefined for anything else: the caller throws (API) or reports
 * (configuration).
 */
export function parseEngineName(value: unknown, from: 'option' | 'environment' = 'option'): EngineName | undefined {
  if (typeof value !== 'string') return undefined;
  const name = from === 'environment' ? value.trim().toLowerCase() : value;
  return (ENGINE_NAMES as readonly string[]).includes(name) ? name as EngineName : undefined;
}
