/**
 * The lifecycle tracker: one internal hook of the engine that attributes each
 * async resource to the span active in the context where it was created (the
 * resource's "why", not the "when" of the execution graph) and turns the
 * resource's init/before/after/destroy/promiseResolve into events on that
 * span while it records.
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
import { context, trace, type Span } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { createInternalHook, type AsyncHook, type HookCallbacks } from '../hooks/async-hook';
import { executionAsyncId } from '../hooks/native';
import { EventAttribute, LifecycleEvent } from './attributes';
import type { ResolvedLifecycleOptions } from './options';
import { ResourceState } from './resource-state';
import { isTraceTracked } from './sampling';
import { SpanLifecycle } from './span-lifecycle';
import { SummaryWriter } from './span-summary';
import { WatchedResources } from './watched-resources';

/** Upper bound on the states watched by id, across all spans of one tracker. */
export const MAX_WATCHED_RESOURCES = 65_536;

type SpanCarrier = Record<symbol, SpanLifecycle | undefined>;

/** Records async resource lifecycles on the spans that created them. */
export class LifecycleTracker {
  readonly #options: ResolvedLifecycleOptions;
  readonly #accepts: (type: string) => boolean;
  /**
   * Where a tracked span carries its lifecycle record, until it ends. On the
   * span itself rather than in a WeakMap: it dies with the span all the same,
   * and costs the garbage collector nothing (ephemeron tables do).
   */
  readonly #spanKey = Symbol('otel-async-context.lifecycle-span');
  readonly #summary = new SummaryWriter();
  /** States of the resources being followed, by asyncId (bounded; see watched-resources.ts). */
  readonly #watched = new WatchedResources(MAX_WATCHED_RESOURCES);
  #hook: AsyncHook | undefined;
  #stopped = false;

  /** @param options resolved options (see `resolveLifecycleOptions`). */
  constructor(options: ResolvedLifecycleOptions) {
    this.#options = options;
    this.#accepts = options.accepts;
  }

  /** Whether the tracker's hook is enabled (it is from the first tracked span to `stop()`). */
  get enabled(): boolean {
    return this.#hook !== undefined && !this.#stopped;
  }

  /** Resources currently watched by id (bounded; for tests and diagnostics). */
  get watchedResources(): number {
    return this.#watched.size;
  }

  /** Starts tracking `span`, when the sampling ratio selects its trace. */
  track(span: Span): void {
    if (this.#stopped || !isTraceTracked(span.spanContext().traceId, this.#options.samplingRatio)) return;
    (span as unknown as SpanCarrier)[this.#spanKey] = new SpanLifecycle(span, this.#options.eventBudget);
    if (this.#hook === undefined) this.#hook = createInternalHook(this.#callbacks()).enable();
  }

  /**
   * Stops tracking `span`, writing its summary on it (the span must still be
   * writable) unless `summarize` is false (an SDK without `onEnding`: the
   * span is read-only by `onEnd`, which only releases what the span held).
   */
  finish(span: Span, summarize = true): void {
    if (span === null || typeof span !== 'object') return;
    const lifecycle = (span as unknown as SpanCarrier)[this.#spanKey];
    if (lifecycle === undefined || this.#stopped) return;
    (span as unknown as SpanCarrier)[this.#spanKey] = undefined;
    let pendingByType: Map<string, number> | undefined;
    for (let state = lifecycle.takeWatched(); state !== undefined;) {
      this.#watched.delete(state.asyncId);
      if (state.pendingAtEnd()) {
        pendingByType ??= new Map();
        pendingByType.set(state.type, (pendingByType.get(state.type) ?? 0) + 1);
      }
      const next = state.next;
      state.previous = state.next = undefined;
      state = next;
    }
    lifecycle.end();
    if (summarize) this.#summary.write(span, lifecycle, pendingByType);
  }

  /** Disables the hook and forgets every span and resource. Final. */
  stop(): void {
    this.#stopped = true;
    this.#hook?.disable();
    this.#watched.clear();
  }

  #callbacks(): HookCallbacks {
    const callbacks: HookCallbacks = {
      init: (asyncId: number, type: string, triggerAsyncId: number) => this.#init(asyncId, type, triggerAsyncId),
      before: (asyncId: number) => this.#before(asyncId),
      after: (asyncId: number) => this.#after(asyncId),
      destroy: (asyncId: number) => this.#destroy(asyncId),
    };
    if (this.#options.trackPromises) callbacks.promiseResolve = (asyncId: number) => this.#promiseResolve(asyncId);
    else callbacks.trackPromises = false;
    return callbacks;
  }

  #init(asyncId: number, type: string, triggerAsyncId: number): void {
    if (!this.#accepts(type)) return;
    const active = context.active();
    const span = trace.getSpan(active);
    if (span === undefined) return;
    const lifecycle = (span as unknown as SpanCarrier)[this.#spanKey];
    // Suppressed tracing marks the SDK's own work (exports): not the span's.
    if (lifecycle === undefined || isTracingSuppressed(active)) return;
    const now = performance.now();
    const state = new ResourceState(asyncId, type, triggerAsyncId, lifecycle, now);
    lifecycle.countCreated(type);
    this.#watch(state);
    // No timestamp passed: the SDK reads its clock once either way, and converts its own reading cheaper.
    lifecycle.eventTarget()?.addEvent(LifecycleEvent.init, {
      [EventAttribute.id]: asyncId,
      [EventAttribute.type]: type,
      [EventAttribute.triggerId]: triggerAsyncId,
      [EventAttribute.executionId]: executionAsyncId(),
    });
  }

  #before(asyncId: number): void {
    const state = this.#watched.get(asyncId);
    if (state === undefined) return;
    const now = performance.now();
    const lifecycle = state.span;
    if (state.runs++ === 0) lifecycle.countQueued(now - state.initAt);
    lifecycle.callbacks++;
    state.beforeAt = now;
    lifecycle.eventTarget()?.addEvent(LifecycleEvent.before, state.attributes());
  }

  #after(asyncId: number): void {
    const state = this.#watched.get(asyncId);
    if (state === undefined) return;
    const lifecycle = state.span;
    if (state.beforeAt >= 0) {
      lifecycle.countRan(performance.now() - state.beforeAt);
      state.beforeAt = -1;
    }
    lifecycle.eventTarget()?.addEvent(LifecycleEvent.after, state.attributes());
  }

  #destroy(asyncId: number): void {
    const state = this.#watched.delete(asyncId);
    if (state === undefined) return;
    const lifecycle = state.span;
    lifecycle.unwatch(state);
    lifecycle.eventTarget()?.addEvent(LifecycleEvent.destroy, state.attributes());
  }

  #promiseResolve(asyncId: number): void {
    const state = this.#watched.get(asyncId);
    if (state === undefined) return;
    const lifecycle = state.span;
    lifecycle.eventTarget()?.addEvent(LifecycleEvent.promiseResolve, state.attributes());
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
