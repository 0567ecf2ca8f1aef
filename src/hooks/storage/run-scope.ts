/**
 * The disposable scope of `AsyncLocalStorage#withScope` for engines whose
 * storage has no native `withScope`: enters the store now and restores the
 * previous one on dispose, once, last in first out with other scopes.
 */
import type { StorageEngine, StorageScope } from './engine';

type Enterable<T> = Pick<StorageEngine<T>, 'getStore' | 'enterWith'>;

/** A scope entered by `withScope(store)`; `using` disposes it at block end. */
export class RunScope<T> implements StorageScope {
  #engine: Enterable<T> | undefined;
  readonly #previous: T | undefined;

  /** @internal Use `AsyncLocalStorage#withScope`. */
  constructor(engine: Enterable<T>, store: T) {
    this.#engine = engine;
    this.#previous = engine.getStore();
    engine.enterWith(store);
  }

  /** Restores the store that was active before the scope. Idempotent. */
  dispose(): void {
    const engine = this.#engine;
    if (engine === undefined) return;
    this.#engine = undefined;
    engine.enterWith(this.#previous as T);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
