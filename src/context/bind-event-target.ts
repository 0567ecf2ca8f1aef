/**
 * `bind(context, target)` for EventTargets (AbortSignal, MessagePort, ...):
 * listeners added afterwards with `addEventListener` run with the bound
 * context active, and `removeEventListener` removes them. An EventTarget
 * ignores a listener added twice for the same type and capture, so one
 * listener gets one wrapper per (type, capture), which keeps that rule.
 */
import type { Context } from '@opentelemetry/api';
import { installBinding, wrapListener, type BoundListener } from './bound-listener';
import type { RunInContext } from './run-in-context';

type Listener = Function | { handleEvent: Function };
type AddOrRemove = (this: EventTarget, type: string, listener: unknown, options?: unknown) => void;

/** What a manager keeps on an EventTarget it bound. */
export interface EventTargetBinding {
  context: Context;
  /** listener -> `${capture}:${type}` -> its wrapper. */
  readonly wrappers: WeakMap<object, Map<string, BoundListener>>;
}

function slotOf(type: unknown, options: unknown): string {
  const capture = typeof options === 'boolean' ? options : Boolean((options as { capture?: unknown } | null | undefined)?.capture);
  return `${capture ? 1 : 0}:${String(type)}`;
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
    const slot = slotOf(type, options);
    let slots = binding.wrappers.get(listener);
    if (slots === undefined) binding.wrappers.set(listener, slots = new Map());
    let wrapper = slots.get(slot);
    if (wrapper === undefined) slots.set(slot, wrapper = wrapListener(run, binding.context, listener));
    return Reflect.apply(add, this, [type, wrapper, options]);
  };
  methods.removeEventListener = function removeBoundEventListener(type, listener, options) {
    if (isListener(listener)) {
      const slot = slotOf(type, options);
      const slots = binding.wrappers.get(listener);
      const wrapper = slots?.get(slot);
      if (wrapper !== undefined) {
        slots!.delete(slot);
        return Reflect.apply(remove, this, [type, wrapper, options]);
      }
    }
    return Reflect.apply(remove, this, [type, listener, options]);
  };
  return target;
}
