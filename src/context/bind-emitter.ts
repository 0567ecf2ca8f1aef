/**
 * `bind(context, emitter)` for EventEmitters: every listener added afterwards
 * through `on`, `addListener`, `once`, `prependListener` or
 * `prependOnceListener` runs with the bound context active, wherever `emit`
 * is called from; `off` and `removeListener` find the wrapper of the listener
 * they are given. No table of listeners is kept: removal reads the emitter's
 * own list (`rawListeners`), so `removeAllListeners`, with or without an event
 * name, needs no help, `once` listeners that fired leave nothing behind, and
 * two managers binding one emitter compose (each wraps the other's methods).
 */
import type { Context } from '@opentelemetry/api';
import type { EventEmitter } from 'node:events';
import { installBinding, isOnceWrapperOfBound, standsFor, wrapListener } from './bound-listener';
import type { RunInContext } from './run-in-context';

/** What a manager keeps on an emitter it bound: the context for listeners added from now on. */
export interface EmitterBinding {
  context: Context;
}

type Listener = (...args: unknown[]) => void;
type AddMethod = (this: EventEmitter, event: string | symbol, listener: Listener) => EventEmitter;
type RemoveMethod = AddMethod;

const ADD_METHODS = ['addListener', 'on', 'once', 'prependListener', 'prependOnceListener'] as const;
const REMOVE_METHODS = ['removeListener', 'off'] as const;

function patchAdd(run: RunInContext, binding: EmitterBinding, original: AddMethod): AddMethod {
  return function addBoundListener(this: EventEmitter, event, listener) {
    // Node's once() and prependOnceListener() call on()/prependListener() with
    // their once-wrapper around our wrapper: that one is already bound. Invalid
    // listeners go through so that Node reports them as it always does.
    if (typeof listener !== 'function' || isOnceWrapperOfBound(listener)) {
      return Reflect.apply(original, this, [event, listener]);
    }
    return Reflect.apply(original, this, [event, wrapListener(run, binding.context, listener)]);
  };
}

function patchRemove(original: RemoveMethod): RemoveMethod {
  return function removeBoundListener(this: EventEmitter, event, listener) {
    let registered: unknown = listener;
    if (typeof listener === 'function' && typeof this.rawListeners === 'function') {
      // Last added first, as Node's removeListener does.
      const list = this.rawListeners(event);
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i] === listener) break;
        if (standsFor(list[i], listener)) {
          registered = list[i];
          break;
        }
      }
    }
    return Reflect.apply(original, this, [event, registered]);
  };
}

/**
 * Binds `emitter` to `context` for the manager whose binding key is `key`.
 * Binding again (same manager) changes the context of listeners added from
 * then on, and patches nothing twice.
 */
export function bindEmitter<E extends EventEmitter>(
  run: RunInContext, key: symbol, context: Context, emitter: E,
): E {
  const binding = installBinding<EmitterBinding>(emitter, key, context, () => ({ context }));
  if (binding === undefined) return emitter;
  const methods = emitter as unknown as Record<string, AddMethod | undefined>;
  for (const name of ADD_METHODS) {
    const original = methods[name];
    if (typeof original === 'function') methods[name] = patchAdd(run, binding, original);
  }
  for (const name of REMOVE_METHODS) {
    const original = methods[name];
    if (typeof original === 'function') methods[name] = patchRemove(original);
  }
  return emitter;
}
