/**
 * The lifecycle record of one tracked span: where its resources' events go,
 * what is left of its event budget, and the counters of its summary. It holds
 * the span through a WeakRef (the watched states of a span that is never
 * ended, resources that never see destroy, reach this record and must not
 * keep the span alive) and lets go of it entirely when the span ends.
 */
import type { Span } from '@opentelemetry/api';
import type { ResourceState } from './resource-state';

/** Per-span state of the lifecycle tracker. */
export class SpanLifecycle {
  #span: WeakRef<Span> | undefined;
  #budget: number;
  /** Set when the span ends (its states have left the tracker's table by then). */
  ended = false;
  /** Resources created under the span, in total and per type. */
  created = 0;
  readonly createdByType = new Map<string, number>();
  /**
   * The span's resources whose destroy is watched (at most maxTrackedPerSpan),
   * a doubly linked list through the states: O(1) in and out, no hashing.
   */
  #watched: ResourceState | undefined;
  /** Length of the watched list. */
  watchedCount = 0;
  /** Resources whose destroy cannot be watched (over the per-span or global cap). */
  untracked = 0;
  callbacks = 0;
  queuedTotal = 0;
  queuedMax = 0;
  runningTotal = 0;
  runningMax = 0;
  /** Events not written: the budget was spent. */
  dropped = 0;

  constructor(span: Span, eventBudget: number) {
    this.#span = new WeakRef(span);
    this.#budget = eventBudget;
  }

  /** Counts a resource created under the span. */
  countCreated(type: string): void {
    this.created++;
    this.createdByType.set(type, (this.createdByType.get(type) ?? 0) + 1);
  }

  /** Counts a resource's first callback, `ms` after its init. */
  countQueued(ms: number): void {
    this.queuedTotal += ms;
    if (ms > this.queuedMax) this.queuedMax = ms;
  }

  /** Counts one callback that finished after running for `ms` (it was counted in `callbacks` when it started). */
  countRan(ms: number): void {
    this.runningTotal += ms;
    if (ms > this.runningMax) this.runningMax = ms;
  }

  /**
   * The span to write one more lifecycle event on, or undefined when the
   * budget is spent (the event is then counted as dropped) or the span is
   * gone. Callers build the event only when they get a span.
   */
  eventTarget(): Span | undefined {
    if (this.#budget === 0) {
      this.dropped++;
      return undefined;
    }
    const span = this.#span?.deref();
    if (span !== undefined) this.#budget--;
    return span;
  }

  /** Adds a state to the span's watched list. */
  watch(state: ResourceState): void {
    state.next = this.#watched;
    if (this.#watched !== undefined) this.#watched.previous = state;
    this.#watched = state;
    this.watchedCount++;
  }

  /** Removes a state from the span's watched list (it was destroyed or evicted). */
  unwatch(state: ResourceState): void {
    if (state.previous !== undefined) state.previous.next = state.next;
    else this.#watched = state.next;
    if (state.next !== undefined) state.next.previous = state.previous;
    state.previous = state.next = undefined;
    this.watchedCount--;
  }

  /**
   * Empties the watched list, returning its first state; the others follow
   * through `next`, which the caller clears as it walks them.
   */
  takeWatched(): ResourceState | undefined {
    const first = this.#watched;
    this.#watched = undefined;
    this.watchedCount = 0;
    return first;
  }

  /** Marks the span ended and drops the reference to it. */
  end(): void {
    this.ended = true;
    this.#span = undefined;
  }
}
