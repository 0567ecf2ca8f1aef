/**
 * `ResourceTable`: the async resources the doctor follows, by asyncId: type,
 * trigger and the span they were created under. Open addressing over typed
 * arrays (no Map: see lifecycle/watched-resources.ts for what a Map's rehashing
 * costs under a server's churn), bounded in live entries.
 *
 * Eviction keeps long-lived resources: an entry leaves at its resource's
 * destroy, and only when `max` entries are live (resources that never see
 * destroy pile up) does the oldest live one leave. A pooled connection
 * created an hour ago is exactly what a diagnosis needs, so entries are not
 * aged out by the number of resources created since.
 */
import type { SpanOrigin } from './span-origin';

const EMPTY = 0;
const DELETED = -1;
const INITIAL_CAPACITY = 1024;

/** Slot of an asyncId (a positive integer, possibly above 2^32) in a table of 2^bits slots. */
function slotOf(id: number, bits: number): number {
  return Math.imul((id | 0) ^ Math.floor(id / 0x1_0000_0000), 0x9e3779b1) >>> (32 - bits);
}

/** A resource and the span it was created under. */
export interface ResourceFromSpan {
  readonly asyncId: number;
  readonly type: string;
  readonly origin: SpanOrigin;
}

/** One followed resource, as a finding reports it. */
export interface KnownResource {
  readonly asyncId: number;
  readonly type: string;
  readonly triggerAsyncId: number;
  /** The recording span active where it was created, if any. */
  readonly origin: SpanOrigin | undefined;
  /**
   * Without an origin of its own: the nearest resource up its trigger chain
   * that was created under a span, as it was at this one's init (it may be
   * gone since: a timer is destroyed once it has fired).
   */
  readonly ancestor: ResourceFromSpan | undefined;
}

/** asyncId -> (type, trigger, origin), at most `max` live entries. */
export class ResourceTable {
  readonly #max: number;
  #bits = 0;
  #ids = new Float64Array(0);
  #triggers = new Float64Array(0);
  #types: Array<string | undefined> = [];
  #origins: Array<SpanOrigin | undefined> = [];
  #ancestors: Array<ResourceFromSpan | undefined> = [];
  #size = 0;
  #deleted = 0;
  /** Insertion order (a ring of 2 × max ids; ids already gone are skipped or compacted away). */
  #order = new Float64Array(0);
  #orderHead = 0;
  #orderCount = 0;

  /** @param max the most live entries. */
  constructor(max: number) {
    this.#max = max;
  }

  /** Live entries. */
  get size(): number {
    return this.#size;
  }

  /** Whether `id` is followed. */
  has(id: number): boolean {
    return this.#find(id) >= 0;
  }

  /** The entry of `id`, if followed (allocates: for findings, not for the hot path). */
  get(id: number): KnownResource | undefined {
    const slot = this.#find(id);
    if (slot < 0) return undefined;
    return {
      asyncId: id, type: this.#types[slot]!, triggerAsyncId: this.#triggers[slot], origin: this.#origins[slot], ancestor: this.#ancestors[slot],
    };
  }

  /**
   * Follows a new resource when it was created under a span (`origin`) or its
   * trigger is followed (it descends from one); otherwise does nothing. When
   * `max` are live, the oldest live one leaves first.
   */
  follow(id: number, type: string, triggerAsyncId: number, origin: SpanOrigin | undefined): void {
    const trigger = this.#find(triggerAsyncId);
    if (origin === undefined && trigger < 0) return;
    let ancestor: ResourceFromSpan | undefined;
    if (origin === undefined) {
      const triggerOrigin = this.#origins[trigger];
      ancestor = triggerOrigin !== undefined ? { asyncId: triggerAsyncId, type: this.#types[trigger]!, origin: triggerOrigin } : this.#ancestors[trigger];
    }
    this.#add(id, type, triggerAsyncId, origin, ancestor);
  }

  #add(id: number, type: string, triggerAsyncId: number, origin: SpanOrigin | undefined, ancestor: ResourceFromSpan | undefined): void {
    if (this.#size >= this.#max) this.#evictOldest();
    if (this.#orderCount === this.#order.length) this.#compactOrder();
    if ((this.#size + this.#deleted + 1) * 2 > this.#ids.length) this.#resize();
    const mask = this.#ids.length - 1;
    let slot = slotOf(id, this.#bits);
    while (this.#ids[slot] > EMPTY) slot = (slot + 1) & mask;
    if (this.#ids[slot] === DELETED) this.#deleted--;
    this.#ids[slot] = id;
    this.#triggers[slot] = triggerAsyncId;
    this.#types[slot] = type;
    this.#origins[slot] = origin;
    this.#ancestors[slot] = ancestor;
    this.#size++;
    this.#order[(this.#orderHead + this.#orderCount) % this.#order.length] = id;
    this.#orderCount++;
  }

  /** Stops following `id` (its destroy). */
  delete(id: number): void {
    const slot = this.#find(id);
    if (slot < 0) return;
    this.#ids[slot] = DELETED;
    this.#types[slot] = this.#origins[slot] = this.#ancestors[slot] = undefined;
    this.#size--;
    this.#deleted++;
  }

  /** Forgets everything and releases the arrays. */
  clear(): void {
    this.#bits = 0;
    this.#ids = this.#triggers = this.#order = new Float64Array(0);
    this.#types = [];
    this.#origins = [];
    this.#ancestors = [];
    this.#size = this.#deleted = this.#orderHead = this.#orderCount = 0;
  }

  #find(id: number): number {
    const ids = this.#ids;
    if (ids.length === 0) return -1;
    const mask = ids.length - 1;
    for (let slot = slotOf(id, this.#bits); ; slot = (slot + 1) & mask) {
      const at = ids[slot];
      if (at === id) return slot;
      if (at === EMPTY) return -1;
    }
  }

  #evictOldest(): void {
    while (this.#orderCount > 0) {
      const id = this.#order[this.#orderHead];
      this.#orderHead = (this.#orderHead + 1) % this.#order.length;
      this.#orderCount--;
      if (this.#find(id) >= 0) {
        this.delete(id);
        return;
      }
    }
  }

  /** Keeps only the live ids in the order ring (amortized: runs once per ≥ max insertions). */
  #compactOrder(): void {
    const old = this.#order;
    const next = new Float64Array(Math.max(16, 2 * this.#max));
    let count = 0;
    for (let i = 0; i < this.#orderCount; i++) {
      const id = old[(this.#orderHead + i) % old.length];
      if (this.#find(id) >= 0) next[count++] = id;
    }
    this.#order = next;
    this.#orderHead = 0;
    this.#orderCount = count;
  }

  /** Rebuilds the table at twice the live entries (at least the initial size), clearing tombstones. */
  #resize(): void {
    const [oldIds, oldTriggers, oldTypes, oldOrigins, oldAncestors] = [this.#ids, this.#triggers, this.#types, this.#origins, this.#ancestors];
    let capacity = INITIAL_CAPACITY;
    while (capacity < (this.#size + 1) * 4) capacity *= 2;
    this.#bits = Math.log2(capacity);
    this.#ids = new Float64Array(capacity);
    this.#triggers = new Float64Array(capacity);
    this.#types = new Array<string | undefined>(capacity).fill(undefined);
    this.#origins = new Array<SpanOrigin | undefined>(capacity).fill(undefined);
    this.#ancestors = new Array<ResourceFromSpan | undefined>(capacity).fill(undefined);
    const mask = capacity - 1;
    for (let i = 0; i < oldIds.length; i++) {
      if (oldIds[i] <= EMPTY) continue;
      let slot = slotOf(oldIds[i], this.#bits);
      while (this.#ids[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.#ids[slot] = oldIds[i];
      this.#triggers[slot] = oldTriggers[i];
      this.#types[slot] = oldTypes[i];
      this.#origins[slot] = oldOrigins[i];
      this.#ancestors[slot] = oldAncestors[i];
    }
    this.#deleted = 0;
  }
}
