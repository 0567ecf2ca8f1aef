/** The contract that both AsyncLocalStorage engines implement. */
export interface StorageEngine<T> {
  run<R, A extends unknown[]>(store: T, fn: (...args: A) => R, args: A): R;
  getStore(): T | undefined;
  enterWith(store: T): void;
  disable(): void;
}

/** The names of the engines, as accepted by the `engine` option and OTEL_ASYNC_CONTEXT_ENGINE. */
export type EngineName = 'native' | 'hooks';

/** Every engine name, in the order error messages list them. */
export const ENGINE_NAMES: readonly EngineName[] = ['native', 'hooks'];
