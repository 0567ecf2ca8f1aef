/**
 * The wrapper that a bound EventEmitter or EventTarget registers in place of a
 * listener. Each wrapper remembers the listener it stands for under one symbol
 * shared by every manager (a registered symbol, so that the CommonJS and ESM
 * builds, or two copies of the package, share it too), so that removal can
 * walk from what the emitter holds back to what the user passed, through any
 * number of managers' wrappers and Node's own `once` wrappers.
 */
import type { Context } from '@opentelemetry/api';
import type { RunInContext } from './run-in-context';

/** The listener that a wrapper stands for. */
export const kBoundListener: unique symbol = Symbol.for('otel-async-context.bound-listener') as typeof kBoundListener;

/** A listener wrapper made by `wrapListener`. */
export type BoundListener = ((...args: unknown[]) => unknown) & { [kBoundListener]: Function | object };

/** Most wrappers a removal follows: a cycle of `.listener` properties must not hang it. */
const MAX_UNWRAP = 16;

function callListener(listener: Function | { handleEvent: Function }, thisArg: unknown, args: unknown[]): unknown {
  // EventTarget listeners can be objects whose handleEvent is looked up per call.
  if (typeof listener === 'function') return Reflect.apply(listener, thisArg, args);
  return Reflect.apply(listener.handleEvent, listener, args);
}

/** Wraps `listener` (a function, or an object with `handleEvent`) so that it runs with `context` active. */
export function wrapListener(
  run: RunInContext, context: Context, listener: Function | { handleEvent: Function },
): BoundListener {
  const wrapper = function boundListener(this: unknown, ...args: unknown[]): unknown {
    return run(context, callListener, listener, this, args);
  } as BoundListener;
  wrapper[kBoundListener] = listener;
  return wrapper;
}

/** Whether `registered` (a wrapper, Node's once-wrapper, or a chain of them) stands for `listener`. */
export function standsFor(registered: unknown, listener: unknown): boolean {
  let current = registered;
  for (let depth = 0; depth < MAX_UNWRAP && typeof current === 'function'; depth++) {
    if (current === listener) return true;
    const inner: unknown = (current as Partial<BoundListener>)[kBoundListener];
    current = inner !== undefined ? inner : (current as { listener?: unknown }).listener;
  }
  return false;
}

/** Whether `listener` is Node's once-wrapper around a wrapper of ours (`once` re-entering `on`). */
export function isOnceWrapperOfBound(listener: Function): boolean {
  const inner = (listener as { listener?: unknown }).listener;
  return typeof inner === 'function' && (inner as Partial<BoundListener>)[kBoundListener] !== undefined;
}

/**
 * The first binding of `target` for a manager (whose key is `key`): installs
 * `create()` under the key and returns it. A later binding only switches the
 * existing one to `context` (listeners added from then on run in it) and
 * returns undefined: the target's methods are patched once per manager.
 */
export function installBinding<B extends { context: Context }>(
  target: object, key: symbol, context: Context, create: () => B,
): B | undefined {
  const existing = (target as Record<symbol, B | undefined>)[key];
  if (existing !== undefined) {
    existing.context = context;
    return undefined;
  }
  const binding = create();
  Object.defineProperty(target, key, { value: binding, configurable: true, enumerable: false, writable: false });
  return binding;
}
