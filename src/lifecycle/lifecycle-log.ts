/**
 * The compact lifecycle log of a tracker: what the hook callbacks of tracked
 * resources did, appended by the callbacks into one ring of typed arrays
 * shared by all spans, each span's records chained from its last one. When a
 * span ends and is kept (see LifecycleTracker.finish), its chain is walked
 * and written as span events, once. A callback therefore costs a few typed
 * array writes: no SDK call, no allocation, no WeakRef.
 *
 * Memory is fixed (RING_SIZE records, allocated on first use) whatever spans
 * are abandoned. A span that lasts so long under so much load that its first
 * records are overwritten before it ends loses those events (counted as
 * dropped); its summary is not affected.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import { EventAttribute, LifecycleEvent } from './attributes';

/** What a record says happened; the index into EVENT_NAMES. */
export const LogKind = { init: 0, before: 1, after: 2, destroy: 3, promiseResolve: 4 } as const;
export type LogKind = (typeof LogKind)[keyof typeof LogKind];

const EVENT_NAMES: readonly string[] = [
  LifecycleEvent.init, LifecycleEvent.before, LifecycleEvent.after, LifecycleEvent.destroy, LifecycleEvent.promiseResolve,
];

/** Records held: 2^16, about 3.5 MB. */
export const RING_SIZE = 1 << 16;
const MASK = RING_SIZE - 1;

/** Where a span's chain is: its last record's sequence number, and how many it appended. */
export interface LogChain {
  /** Sequence number of the span's last record, -1 before the first. */
  lastSeq: number;
  /** Records appended for the span. */
  logged: number;
}

/** One resource, as a record names it. */
export interface LoggedResource {
  readonly asyncId: number;
  readonly type: string;
  readonly triggerAsyncId: number;
  readonly executionAsyncId: number;
}

/** The ring of records of one tracker. */
export class LifecycleLog {
  /** Sequence number of the next record; a record's slot is its sequence number & MASK. */
  #next = 0;
  #seq = new Float64Array(0);
  #previous = new Float64Array(0);
  #kind = new Uint8Array(0);
  #time = new Float64Array(0);
  #asyncId = new Float64Array(0);
  #trigger = new Float64Array(0);
  #execution = new Float64Array(0);
  #type: string[] = [];

  /** Appends a record to `chain`. */
  append(chain: LogChain, kind: LogKind, time: number, resource: LoggedResource): void {
    if (this.#seq.length === 0) this.#allocate();
    const seq = this.#next++;
    const slot = seq & MASK;
    this.#seq[slot] = seq;
    this.#previous[slot] = chain.lastSeq;
    this.#kind[slot] = kind;
    this.#time[slot] = time;
    this.#asyncId[slot] = resource.asyncId;
    this.#trigger[slot] = resource.triggerAsyncId;
    this.#execution[slot] = resource.executionAsyncId;
    this.#type[slot] = resource.type;
    chain.lastSeq = seq;
    chain.logged++;
  }

  /**
   * Writes `chain`'s records on `span` as events (`async.init`, ...), oldest
   * first, with the times they happened. Returns how many were written; the
   * others had been overwritten.
   */
  writeEvents(span: Span, chain: LogChain): number {
    const slots: number[] = [];
    for (let seq = chain.lastSeq; seq >= 0 && slots.length < chain.logged;) {
      const slot = seq & MASK;
      if (this.#seq[slot] !== seq) break; // overwritten, and so is everything older
      slots.push(slot);
      seq = this.#previous[slot];
    }
    for (let i = slots.length - 1; i >= 0; i--) {
      const slot = slots[i];
      const kind = this.#kind[slot];
      const attributes: Attributes = {
        [EventAttribute.id]: this.#asyncId[slot],
        [EventAttribute.type]: this.#type[slot],
        [EventAttribute.triggerId]: this.#trigger[slot],
      };
      if (kind === LogKind.init) attributes[EventAttribute.executionId] = this.#execution[slot];
      span.addEvent(EVENT_NAMES[kind], attributes, this.#time[slot]);
    }
    return slots.length;
  }

  /** Forgets every record and releases the ring. */
  clear(): void {
    this.#seq = this.#previous = this.#time = this.#asyncId = this.#trigger = this.#execution = new Float64Array(0);
    this.#kind = new Uint8Array(0);
    this.#type = [];
  }

  #allocate(): void {
    // -1: no record yet in the slot (sequence numbers start at 0).
    this.#seq = new Float64Array(RING_SIZE).fill(-1);
    this.#previous = new Float64Array(RING_SIZE);
    this.#kind = new Uint8Array(RING_SIZE);
    this.#time = new Float64Array(RING_SIZE);
    this.#asyncId = new Float64Array(RING_SIZE);
    this.#trigger = new Float64Array(RING_SIZE);
    this.#execution = new Float64Array(RING_SIZE);
    this.#type = new Array<string>(RING_SIZE).fill('');
  }
}
