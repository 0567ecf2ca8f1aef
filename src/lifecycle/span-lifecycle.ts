/**
 * The lifecycle record of one tracked span: the counters of its summary, its
 * watched resources, and where its chain of records is in the tracker's log
 * (the records that become events if the span is kept). It holds neither the
 * span nor any resource: the watched states of a span that is never ended
 * (resources that never see destroy) reach this record, and keep nothing else.
 */
import type { LogChain } from './lifecycle-log';
import type { ResourceState } from './resource-state';

/** Per-span state of the lifecycle tracker. */
export class SpanLifecycle implements LogChain {
  /** Sequence number of the span's last record in the tracker's log, -1 before the first. */
  lastSeq = -1;
  /** Records appended to the log for the span (at most the event budget). */
  logged = 0;
  /** Records not appended: the event budget was spent. */
  dropped = 0;
  /** `performance.now()` when tracking started (the span's start, as the processor saw it). */
  readonly startedAt: number;
  /** Set when the span ends (its states have left the tracker's table by then). */
  ended = false;
  /** Resources created under the span, in total and per type. */
  created = 0;
  /**
   * Per-type counts as [type, count, type, count, ...]: a span sees a handful of types, and a
   * short array scanned by identity (type names are interned) is cheaper to make and to
   * update than a Map.
   */
  readonly createdByType: Array<string | number> = [];
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

  /** @param startedAt `performance.now()` at the span's start. */
  constructor(startedAt: number) {
    this.startedAt = startedAt;
  }

  /** Counts a resource created under the span. */
  countCreated(type: string): void {
    this.created++;
    countType(this.createdByType, type);
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

  /** Marks the span ended: callbacks that come later are not logged. */
  end(): void {
    this.ended = true;
  }
}

/** Adds one to `type`'s count in a [type, count, ...] list. */
export function countType(counts: Array<string | number>, type: string): void {
  for (let i = 0; i < counts.length; i += 2) {
    if (counts[i] === type) {
      counts[i + 1] = (counts[i + 1] as number) + 1;
      return;
    }
  }
  counts.push(type, 1);
}
