/**
 * The compact lifecycle log of one span: what its resources' hook callbacks
 * did, appended in the callbacks as (kind, time) pairs in one array of numbers
 * and the resource's state in a second, and turned into span events once, when
 * the span ends, and only if the span is kept (see LifecycleTracker.finish). A
 * callback therefore costs a few array writes, never an SDK call.
 *
 * At most `budget` records are kept (the first ones, as the SDK keeps the
 * first events); the others are counted as dropped.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import { EventAttribute, LifecycleEvent } from './attributes';
import type { ResourceState } from './resource-state';

/** What a record says happened; the index into EVENT_NAMES. */
export const LogKind = { init: 0, before: 1, after: 2, destroy: 3, promiseResolve: 4 } as const;
export type LogKind = (typeof LogKind)[keyof typeof LogKind];

const EVENT_NAMES: readonly string[] = [
  LifecycleEvent.init, LifecycleEvent.before, LifecycleEvent.after, LifecycleEvent.destroy, LifecycleEvent.promiseResolve,
];

/** The records of one span, bounded by the event budget. */
export class SpanLog {
  readonly #budget: number;
  /** kind, time (performance.now()) per record. */
  #numbers: number[] | undefined;
  /** The resource of each record (ids and type; it holds no resource object). */
  #states: ResourceState[] | undefined;
  #count = 0;
  /** Records not kept: the budget was spent. */
  dropped = 0;

  /** @param budget the most records kept. */
  constructor(budget: number) {
    this.#budget = budget;
  }

  /** Records kept. */
  get length(): number {
    return this.#count;
  }

  /** Whether one more record fits; when not, counts it as dropped (call `add` only on true). */
  hasRoom(): boolean {
    if (this.#count < this.#budget) return true;
    this.dropped++;
    return false;
  }

  /** Appends a record, or counts it as dropped when the budget is spent. */
  add(kind: LogKind, time: number, state: ResourceState): void {
    if (this.#count >= this.#budget) {
      this.dropped++;
      return;
    }
    (this.#numbers ??= []).push(kind, time);
    (this.#states ??= []).push(state);
    this.#count++;
  }

  /**
   * Writes every record on `span` as an event (`async.init`, ...), with the
   * time it happened; returns the number written.
   */
  writeEvents(span: Span): number {
    const numbers = this.#numbers;
    const states = this.#states;
    if (numbers === undefined || states === undefined) return 0;
    for (let r = 0; r < this.#count; r++) {
      const state = states[r];
      const kind = numbers[2 * r];
      const attributes: Attributes = {
        [EventAttribute.id]: state.asyncId,
        [EventAttribute.type]: state.type,
        [EventAttribute.triggerId]: state.triggerAsyncId,
      };
      if (kind === LogKind.init) attributes[EventAttribute.executionId] = state.executionAsyncId;
      span.addEvent(EVENT_NAMES[kind], attributes, numbers[2 * r + 1]);
    }
    return this.#count;
  }
}
