/** The OpenTelemetry ContextManager on the engine's AsyncLocalStorage. */
export { AsyncContextManager, type AsyncContextManagerOptions, type ContextToken } from './async-context-manager';
