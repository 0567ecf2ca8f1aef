/**
 * The shapes of `node:async_hooks` that the public declarations mention,
 * written out here so that `otel-async-context/hooks` and
 * `otel-async-context/context` type-check without `@types/node`.
 * They match Node's own: a value of Node's type is assignable to each.
 */
import type { AsyncResourceOptions } from './async-resource';

/** An instance of Node's `AsyncResource`. */
export interface NativeAsyncResourceInstance {
  /** The unique id of this resource. */
  asyncId(): number;
  /** The id of the execution context that created this resource. */
  triggerAsyncId(): number;
  /** Calls `fn` in this resource's execution context, with `thisArg` as `this` and `args`. */
  runInAsyncScope<This, Result>(fn: (this: This, ...args: any[]) => Result, thisArg?: This, ...args: any[]): Result;
  /** Calls the destroy hooks. */
  emitDestroy(): this;
  /** Returns `fn` bound to this resource's execution context. */
  bind<Func extends (...args: any[]) => any>(fn: Func): Func;
}

/** Node's `AsyncResource` class. */
export interface NativeAsyncResourceClass {
  new (type: string, options?: AsyncResourceOptions | number): NativeAsyncResourceInstance;
  /** Binds `fn` to a new resource of `type`, created in the current execution context. */
  bind<Func extends (this: ThisArg, ...args: any[]) => any, ThisArg>(fn: Func, type?: string, thisArg?: ThisArg): Func;
}

declare global {
  /**
   * `Symbol.dispose`, which the disposable scopes (`withScope()`, `attach()`
   * tokens) are keyed by. Node has it from 20.4 on; TypeScript declares it in
   * lib `esnext.disposable` and @types/node declares it too: the declarations merge.
   */
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}
