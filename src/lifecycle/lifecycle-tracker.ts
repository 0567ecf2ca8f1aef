/**
 * The lifecycle tracker: one internal hook of the engine that attributes each
 * async resource to the span active in the context where it was created (the
 * resource's "why", not the "when" of the execution graph), counts what the
 * summary needs, and appends each callback to the compact log
 * (lifecycle-log.ts), whose records of a span become span events when the span
 * ends, if it is kept. No callback calls the SDK.
 *
 * Modes: `default` hooks init, before and destroy (the exact pending rule
 * needs to know whether a one-shot resource has run: its destroy arrives a
 * loop turn later); `full` adds after (running time) and promiseResolve.
 *
 * Memory: every callback but init carries only an asyncId, so the states of
 * the resources being followed are kept by id, in a table bounded per span
 * (`maxTrackedPerSpan`) and in total (`MAX_WATCHED_RESOURCES`); a span's
 * entries leave it when the span ends, its summary having counted them as
 * pending, and a resource's entry leaves at its destroy. Nothing else holds a
 * state, and a state holds no resource. A span carries its record until it
 * ends, and records reach their span only through a WeakRef.
 *
 * Why by id and not on the resource (`executionAsyncResource()`, as the
 * reference text suggests for continuation-local storage): `before` and
 * `after` run for every callback of every resource in the process, and a
 * lookup in a small table of our own is cheaper than fetching the resource
 * and reading a property from objects of every shape; and once a hook calls
 * `executionAsyncResource()`, Node hands the resource to JavaScript on every
 * native callback (`kUsesExecutionAsyncResource`), a cost for the whole
 * process.
 *
 * Resources created while tracing is suppressed (the SDK exporting, say) are
 * telemetry's own work and are not recorded.
 *
 * The callbacks create no async resources (no logging, timers or promises),
 * so they never recurse; the engine catches anything they throw.
 */
import { context, trace, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createInternalHook, type AsyncHook, type HookCallbacks } from '../hooks/async-hook';
import { executionAsyncId } from '../hooks/native';
import { LifecycleLog, LogKind } from './lifecycle-log';
import type { ResolvedLifecycleOptions } from './options';
import { ResourceState } from './resource-state';
import { LifecycleSampler } from './sampling';
import { countType, SpanLifecycle } from './span-lifecycle';
import { SummaryWriter } from './span-summary';
import { WatchedResources } from './watched-resources';

/** Upper bound on the states watched by id, across all spans of one tracker. */
export const MAX_WATCHED_RESOURCES = 65_536;

/** What a tracker has done since it was made: counters for tests and diagnostics. */
export interface LifecycleStatistics {
  /** Spans whose resources were tracked (selected by the sampling ratio). */
  spansTracked: number;
  /** Resources recorded under tracked spans (a state made for each). */
  resourcesRecorded: number;
  /** Callbacks (before, after, destroy, promiseResolve) that found a recorded resource. */
  callbacksRecorded: number;
  /** Spans kept by the tail rule, whose log was written as events. */
  spansWithEvents: number;
  /** Lifecycle events written onto spans. */
  eventsWritten: number;
}

type SpanCarrier = Record<symbol, SpanLifecycle | undefined>;

/** Milliseconds of an HrTime duration. */
function durationMs(span: Span, record: SpanLifecycle): number {
  const duration = (span as unknown as Partial<ReadableSpan>).duration;
  if (Array.isArray(duration)) return duration[0] * 1e3 + duration[1] / 1e6;
  return performance.now() - record.startedAt;
}

/** Records async resource lifecycles on the spans that created them. */
export class LifecycleTracker {
  readonly #options: ResolvedLifecycleOptions;
  readonly #accepts: (type: string) => boolean;
  readonly #full: boolean;
  readonly #sampler: LifecycleSampler;
  /**
   * Where a tracked span carries its lifecycle record, until it ends. On the
   * span itself rather than in a WeakMap: it dies with the span all the same,
   * and costs the garbage collector nothing (ephemeron tables do).
   */
  readonly #spanKey = Symbol('otel-async-context.lifecycle-span');
  /** The records that become events on kept spans (fixed size; see lifecycle-log.ts). */
  readonly #log = new LifecycleLog();
  readonly #budget: number;
  readonly #summary = new SummaryWriter();
  /** States of the resources being followed, by asyncId (bounded; see watched-resources.ts). */
  readonly #watched = new WatchedResources(MAX_WATCHED_RESOURCES);
  readonly #statistics: LifecycleStatistics = {
    spansTracked: 0, resourcesRecorded: 0, callbacksRecorded: 0, spansWithEvents: 0, eventsWritten: 0,
  };
  #hook: AsyncHook | undefined;
  #stopped = false;

  /**
   * @param options resolved options (see `resolveLifecycleOptions`).
   * @param random the sampling draw (tests give their own).
   */
  constructor(options: ResolvedLifecycleOptions, random?: () => number) {
    this.#options = options;
    this.#accepts = options.accepts;
    this.#full = options.mode === 'full';
    this.#budget = options.eventBudget;
    this.#sampler = new LifecycleSampler(options.samplingRatio, random);
  }

  /** Whether the tracker's hook is enabled (it is from the first tracked span to `stop()`). */
  get enabled(): boolean {
    return this.#hook !== undefined && !this.#stopped;
  }

  /** Resources currently watched by id (bounded; for tests and diagnostics). */
  get watchedResources(): number {
    return this.#watched.size;
  }

  /** A copy of the counters. */
  get statistics(): LifecycleStatistics {
    return { ...this.#statistics };
  }

  /** Starts tracking `span` (started in `parentContext`), when the sampling ratio selects its trace. */
  track(span: Span, parentContext?: Context): void {
    // The SDK starts processors only for recording spans; anything else is not recorded either.
    if (this.#stopped || !span.isRecording() || !this.#sampler.decide(span, parentContext)) return;
    (span as unknown as SpanCarrier)[this.#spanKey] = new SpanLifecycle(performance.now());
    this.#statistics.spansTracked++;
    if (this.#hook === undefined) this.#hook = createInternalHook(this.#callbacks()).enable();
  }

  /**
   * Stops tracking `span`, writing its summary on it (the span must still be
   * writable), and its log as events if the tail rule keeps it, unless
   * `summarize` is false (an SDK without `onEnding`: the span is read-only by
   * `onEnd`, which only releases what the span held).
   */
  finish(span: Span, summarize = true): void {
    if (span === null || typeof span !== 'object') return;
    const carrier = span as unknown as SpanCarrier;
    const lifecycle = carrier[this.#spanKey];
    if (lifecycle === undefined || this.#stopped) return;
    carrier[this.#spanKey] = undefined;
    let pendingByType: Array<string | number> | undefined;
    for (let state = lifecycle.takeWatched(); state !== undefined;) {
      this.#watched.delete(state.asyncId);
      if (state.pendingAtEnd()) countType(pendingByType ??= [], state.type);
      const next = state.next;
      state.previous = state.next = undefined;
      state = next;
    }
    lifecycle.end();
    if (!summarize) return;
    // The summary first: it is what every span gets, whatever happens to the events.
    this.#summary.write(span, lifecycle, pendingByType, this.#full);
    if (!this.#keeps(span, lifecycle)) return;
    const written = lifecycle.logged > 0 ? this.#log.writeEvents(span, lifecycle) : 0;
    // Records over the budget, and any overwritten in the ring before the span ended.
    this.#summary.writeDropped(span, lifecycle.dropped + lifecycle.logged - written);
    if (written > 0) {
      this.#statistics.spansWithEvents++;
      this.#statistics.eventsWritten += written;
    }
  }

  /** Disables the hook and forgets every span and resource. Final. */
  stop(): void {
    this.#stopped = true;
    this.#hook?.disable();
    this.#watched.clear();
    this.#log.clear();
  }

  /** The tail rule: events for spans that ended with an error or lasted at least the threshold. */
  #keeps(span: Span, lifecycle: SpanLifecycle): boolean {
    const threshold = this.#options.eventThresholdMs;
    if (threshold <= 0) return true;
    if ((span as unknown as Partial<ReadableSpan>).status?.code === SpanStatusCode.ERROR) return true;
    return durationMs(span, lifecycle) >= threshold;
  }

  #callbacks(): HookCallbacks {
    const callbacks: HookCallbacks = {
      init: (asyncId: number, type: string, triggerAsyncId: number) => this.#init(asyncId, type, triggerAsyncId),
      before: (asyncId: number) => this.#before(asyncId),
      destroy: (asyncId: number) => this.#destroy(asyncId),
    };
    if (this.#full) callbacks.after = (asyncId: number) => this.#after(asyncId);
    if (!this.#options.trackPromises) callbacks.trackPromises = false;
    else if (this.#full) callbacks.promiseResolve = (asyncId: number) => this.#promiseResolve(asyncId);
    return callbacks;
  }

  #init(asyncId: number, type: string, triggerAsyncId: number): void {
    if (!this.#accepts(type)) return;
    const active = context.active();
    const span = trace.getSpan(active);
    if (span === undefined) return;
    const lifecycle = (span as unknown as SpanCarrier)[this.#spanKey] as SpanLifecycle | undefined;
    // Suppressed tracing marks the SDK's own work (exports): not the span's.
    if (lifecycle === undefined || isTracingSuppressed(active)) return;
    const now = performance.now();
    const state = new ResourceState(asyncId, type, triggerAsyncId, executionAsyncId(), lifecycle, now);
    this.#statistics.resourcesRecorded++;
    lifecycle.countCreated(type);
    this.#watch(state);
    this.#append(lifecycle, LogKind.init, now, state);
  }

  #before(asyncId: number): void {
    const state = this.#watched.get(asyncId);
    if (state === undefined) return;
    const now = performance.now();
    const lifecycle = state.span;
    this.#statistics.callbacksRecorded++;
    if (state.runs++ === 0) lifecycle.countQueued(now - state.initAt);
    lifecycle.callbacks++;
    state.beforeAt = now;
    this.#append(lifecycle, LogKind.before, now, state);
  }

  #after(asyncId: number): void {
    const state = this.#watched.get(asyncId);
    if (state === undefined) return;
    const now = performance.now();
    const lifecycle = state.span;
    this.#statistics.callbacksRecorded++;
    if (state.beforeAt >= 0) {
      lifecycle.countRan(now - state.beforeAt);
      state.beforeAt = -1;
    }
    this.#append(lifecycle, LogKind.after, now, state);
  }

  #destroy(asyncId: number): void {
    const state = this.#watched.delete(asyncId);
    if (state === undefined) return;
    const lifecycle = state.span;
    this.#statistics.callbacksRecorded++;
    lifecycle.unwatch(state);
    if (lifecycle.ended) return;
    if (lifecycle.logged < this.#budget) this.#log.append(lifecycle, LogKind.destroy, performance.now(), state);
    else lifecycle.dropped++;
  }

  #promiseResolve(asyncId: number): void {
    const state = this.#watched.get(asyncId);
    if (state === undefined) return;
    this.#statistics.callbacksRecorded++;
    if (!state.span.ended) this.#append(state.span, LogKind.promiseResolve, performance.now(), state);
  }

  /** Appends a record for a span still open, within its event budget. */
  #append(lifecycle: SpanLifecycle, kind: LogKind, time: number, state: ResourceState): void {
    if (lifecycle.ended) return;
    if (lifecycle.logged < this.#budget) this.#log.append(lifecycle, kind, time, state);
    else lifecycle.dropped++;
  }

  /** Watches the state's destroy by id, within the per-span and total bounds. */
  #watch(state: ResourceState): void {
    const lifecycle = state.span;
    if (lifecycle.watchedCount >= this.#options.maxTrackedPerSpan) {
      lifecycle.untracked++;
      return;
    }
    const evicted = this.#watched.add(state);
    if (evicted !== undefined) {
      evicted.span.unwatch(evicted);
      evicted.span.untracked++;
    }
    lifecycle.watch(state);
  }
}
