/**
 * `otel-async-context/hooks`: a drop-in for `node:async_hooks`, with the same
 * names and behaviour. See docs/hooks.md for where it differs on purpose.
 */
export { createHook, type AsyncHook, type HookCallbacks } from './async-hook';
export { AsyncResource, type AsyncResourceOptions } from './async-resource';
export {
  AsyncLocalStorage,
  type AsyncLocalStorageOptions,
  type EngineName,
  type StorageScope,
} from './async-local-storage';
export { executionAsyncId, triggerAsyncId, executionAsyncResource, asyncWrapProviders } from './native';
