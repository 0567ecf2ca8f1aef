/**
 * `bind(context, target)` for EventTargets (AbortSignal, MessagePort, ...):
 * listeners added afterwards with `addEventListener` run with the bound
 * context active, and `removeEventListener` removes them. An EventTarget
 * ignores a listener added twice for the same type and capture, so one
 * listener has one wrapper per (type, capture) for as long as the binding's
 * context stays the same; after a re-bind to another context, adding the
 * listener again replaces its wrapper with one for the new context (the old
 * registration, if `once` or an aborted `signal` has not removed it already,
 * is removed first, so the listener still runs once per event).
 */
import type { Context } from '@opentelemetry/api';
import { installBinding, wrapListener, type BoundListener } from './bound-listener';
import type { RunInContext } from './run-in-context';

type Listener = Function | { handleEvent: Function };
type AddOrRemove = (this: EventTarget, type: string, listener: unknown, options?: unknown) => void;

/** A listener's wrapper and the context it was made for. */
interface Wrapped {
  readonly wrapper: BoundListener;
  readonly context: Context;
}

/** What a manager keeps on an EventTarget it bound. */
export interface EventTargetBinding {
  context: Context;
  /** listener -> `${capture}:${type}` -> its wrapper. */
  readonly wrappers: WeakMap<object, Map<string, Wrapped>>;
}

function captureOf(options: unknown): boolean {
  return typeof options === 'boolean' ? options : Boolean((options as { capture?: unknown } | null | undefined)?.capture);
}

function isListener(value: unknown): value is Listener {
  return typeof value === 'function' || (typeof value === 'object' && value !== null);
}

/** Binds `target` to `context` for the manager whose binding key is `key`; see bindEmitter for rebinding. */
export function bindEventTarget<T extends EventTarget>(
  run: RunInContext, key: symbol, context: Context, target: T,
): T {
  const binding = installBinding<EventTargetBinding>(target, key, context, () => ({ context, wrappers: new WeakMap() }));
  if (binding === undefined) return target;
  const methods = target as unknown as Record<'addEventListener' | 'removeEventListener', AddOrRemove>;
  const add = methods.addEventListener;
  const remove = methods.removeEventListener;

  methods.addEventListener = function addBoundEventListener(type, listener, options) {
    if (!isListener(listener)) return Reflect.apply(add, this, [type, listener, options]);
    const capture = captureOf(options);
    const slot = `${capture ? 1 : 0}:${String(type)}`;
    let slots = binding.wrappers.get(listener);
    if (slots === undefined) binding.wrappers.set(listener, slots = new Map());
    let wrapped = slots.get(slot);
    if (wrapped !== undefined && wrapped.context !== binding.context) {
      Reflect.apply(remove, this, [type, wrapped.wrapper, capture]);
      wrapped = undefined;
    }
    if (wrapped === undefined) {
      wrapped = { wrapper: wrapListener(run, binding.context, listener), context: binding.context };
      slots.set(slot, wrapped);
    }
    return Reflect.apply(add, this, [type, wrapped.wrapper, options]);
  };
  methods.removeEventListener = function removeBoundEventListener(type, listener, options) {
    if (isListener(listener)) {
      const slot = `${captureOf(options) ? 1 : 0}:${String(type)}`;
      const slots = binding.wrappers.get(listener);
      const wrapped = slots?.get(slot);
      if (wrapped !== undefined) {
        slots!.delete(slot);
        return Reflect.apply(remove, this, [type, wrapped.wrapper, options]);
      }
    }
    return Reflect.apply(remove, this, [type, listener, options]);
  };
  return target;
}
