/**
 * The names this feature writes into traces: one event per hook callback, and
 * the summary attributes set on the span when it ends. Durations are in
 * milliseconds (fractions kept).
 */

/** Span event names, one per async hook callback. */
export const LifecycleEvent = {
  init: 'async.init',
  before: 'async.before',
  after: 'async.after',
  destroy: 'async.destroy',
  promiseResolve: 'async.promise_resolve',
} as const;

/** Attributes of the lifecycle events. */
export const EventAttribute = {
  /** The resource's asyncId. */
  id: 'async.id',
  /** The resource type (`Timeout`, `TCPWRAP`, ...). */
  type: 'async.type',
  /** The asyncId of the resource that caused this one to be created. */
  triggerId: 'async.trigger_id',
  /** On `async.init` only: the asyncId of the execution context that created it. */
  executionId: 'async.execution_id',
} as const;

/** Summary attributes set on a tracked span when it ends. */
export const SummaryAttribute = {
  /** Resources created while the span was active (after filters). */
  created: 'async.resources.created',
  /** Prefix of per-type creation counts: `async.resources.created_by_type.Timeout`. */
  createdByType: 'async.resources.created_by_type.',
  /** Resources the span left behind: not destroyed, and not a one-shot resource that already ran. */
  pending: 'async.resources.pending',
  /** Prefix of per-type pending counts: `async.resources.pending_by_type.Timeout`. */
  pendingByType: 'async.resources.pending_by_type.',
  /** Resources over `maxTrackedPerSpan` (or the global cap), whose destroy could not be watched. */
  untracked: 'async.resources.untracked',
  /** Callbacks of the span's resources that started before it ended (one per before). */
  callbacks: 'async.callbacks',
  /** Sum and maximum, over resources, of the time from init to the first callback. */
  queuedTotal: 'async.queued_ms.total',
  queuedMax: 'async.queued_ms.max',
  /** Sum and maximum, over callbacks that finished before the span ended, of the time from before to after. */
  runningTotal: 'async.running_ms.total',
  runningMax: 'async.running_ms.max',
  /** Lifecycle events not written because the span's event budget was spent. */
  eventsDropped: 'async.events.dropped',
} as const;
