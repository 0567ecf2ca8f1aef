/**
 * `bind(context, fn)` for functions. The bound function is a Proxy of the
 * target whose `apply` (and `construct`) traps run the call inside `run` of
 * the manager's storage: creating it costs one small allocation (no `AsyncResource`, no
 * `Object.defineProperty`, which alone costs more than the call it wraps), and
 * `name`, `length` and every other property read through to the target.
 */
import type { Context } from '@opentelemetry/api';
import type { RunInContext } from './run-in-context';

type AnyFunction = (...args: unknown[]) => unknown;
type AnyConstructor = new (...args: unknown[]) => unknown;

/** The Proxy handler of one bound function: the context it runs in, and where it is stored. */
class ContextBoundCall implements ProxyHandler<AnyFunction> {
  readonly #run: RunInContext;
  readonly #context: Context;

  constructor(run: RunInContext, context: Context) {
    this.#run = run;
    this.#context = context;
  }

  /** A call of the bound function: `this` and the arguments go through unchanged. */
  apply(target: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
    return this.#run(this.#context, Reflect.apply, target, thisArg, args);
  }

  /** `new bound(...)`: constructs the target, in the bound context too. */
  construct(target: AnyFunction, args: unknown[], newTarget: Function): object {
    return this.#run(this.#context, Reflect.construct, target as unknown as AnyConstructor, args, newTarget) as object;
  }
}

/**
 * Returns a function that calls `fn` with `context` active, whatever context is
 * active where it is called. It keeps `fn`'s `name`, `length` and properties.
 */
export function bindFunction<F extends Function>(run: RunInContext, context: Context, fn: F): F {
  return new Proxy(fn as unknown as AnyFunction, new ContextBoundCall(run, context)) as unknown as F;
}
