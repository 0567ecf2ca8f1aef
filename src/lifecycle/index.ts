/**
 * Async resource lifecycles as span events: `LifecycleSpanProcessor` records,
 * on each span, the async resources its code created (see docs/lifecycle.md).
 */
export { LifecycleSpanProcessor, lifecycleSpanProcessorFromEnv } from './lifecycle-span-processor';
export { lifecycleOptionsFromEnv, LIFECYCLE_ENV } from './env';
export {
  resolveLifecycleOptions,
  DEFAULT_EVENT_BUDGET,
  DEFAULT_EVENT_THRESHOLD_MS,
  LIFECYCLE_MODES,
  type LifecycleMode,
  DEFAULT_EXCLUDE,
  DEFAULT_MAX_TRACKED_PER_SPAN,
  type LifecycleOptions,
  type ResolvedLifecycleOptions,
} from './options';
export { LifecycleEvent, EventAttribute, SummaryAttribute } from './attributes';
export type { LifecycleStatistics } from './lifecycle-tracker';
