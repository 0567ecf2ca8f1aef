/**
 * The one module that reads `node:async_hooks` directly, plus the feature
 * probes that tell which of Node's newer options this process supports.
 */
import * as asyncHooks from 'node:async_hooks';
import type { NativeAsyncResourceClass } from './native-shapes';

// The public values are typed with our own shapes (native-shapes.ts) and the
// internal ones are left out of the declarations (`@internal`), so that the
// shipped .d.ts files need no @types/node.
/** @internal */
export const nativeCreateHook = asyncHooks.createHook;
export const NativeAsyncResource: NativeAsyncResourceClass = asyncHooks.AsyncResource;
/** @internal */
export const NativeAsyncLocalStorage = asyncHooks.AsyncLocalStorage;
/** The id of the current execution context. */
export const executionAsyncId: () => number = asyncHooks.executionAsyncId;
/** The id of the resource that triggered the current execution context. */
export const triggerAsyncId: () => number = asyncHooks.triggerAsyncId;
/** The resource of the current execution context (an object, never undefined). */
export const executionAsyncResource: () => object = asyncHooks.executionAsyncResource;
export const asyncWrapProviders: Readonly<Record<string, number>> =
  (asyncHooks as unknown as { asyncWrapProviders: Readonly<Record<string, number>> }).asyncWrapProviders;

/**
 * Whether `createHook({ trackPromises: false })` is honoured (Node 24.x, 25.x+).
 * Node validates that option only where it exists: asking for no promise
 * tracking together with `promiseResolve` throws there and is ignored elsewhere.
 * Nothing is enabled by the probe.
 */
export const supportsTrackPromises: boolean = (() => {
  try {
    nativeCreateHook({ promiseResolve() {}, trackPromises: false } as asyncHooks.HookCallbacks);
    return false;
  } catch {
    return true;
  }
})();

/**
 * Whether Node's own AsyncLocalStorage runs on AsyncContextFrame (Node 24 on,
 * unless turned off with --no-async-context-frame; Node 22 with
 * --experimental-async-context-frame): told by its class, whose async_hooks
 * strategy has the `_propagate` method and whose frame strategy has none.
 */
export const nativeUsesAsyncContextFrame: boolean =
  typeof (NativeAsyncLocalStorage.prototype as { _propagate?: unknown })._propagate !== 'function';

/** Whether the native AsyncLocalStorage has `withScope` (Node 24.x, 26+). */
export const nativeHasWithScope = typeof (NativeAsyncLocalStorage.prototype as { withScope?: unknown }).withScope === 'function';

/** Whether the native AsyncLocalStorage honours `{ defaultValue, name }` (Node 24+). */
export const nativeHasOptions: boolean = (() => {
  const probe = new (NativeAsyncLocalStorage as unknown as new (o: object) => { getStore(): unknown; name?: string })(
    { defaultValue: 1, name: 'probe' },
  );
  return probe.getStore() === 1 && probe.name === 'probe';
})();
