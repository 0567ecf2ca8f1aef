/** `otel-async-context`: the public surface of the package. */
export * as hooks from './hooks/index';
export { AsyncLocalStorage, AsyncResource, createHook } from './hooks/index';
export { AsyncContextManager, type AsyncContextManagerOptions } from './context/index';
export { start, ConsoleTreeExporter, type Distro, type DistroConfig, type StartOptions } from './distro/index';
export * from './lifecycle/index';
export * from './diagnose/index';
