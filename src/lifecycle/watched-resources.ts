/**
 * The resource states watched by asyncId (for `destroy` and `promiseResolve`,
 * which carry only the id): an open-addressing hash table of our own, bounded,
 * evicting the oldest entry when full.
 *
 * Why not a Map: under the churn of a busy server (an entry per resource, set
 * at init and deleted at destroy), a Map rehashes again and again, and V8
 * keeps each abandoned table, entries included, for iterators that might
 * still walk it. Tables that had reached the old generation then keep young
 * states (and through them spans and their events) alive across scavenges:
 * measured, a Map here multiplied the bytes promoted per scavenge several
 * times over. This table clears every slot it lets go of, so it holds exactly
 * the entries it has.
 */
import type { ResourceState } from './resource-state';

const EMPTY = 0;
const DELETED = -1;
const INITIAL_CAPACITY = 1024;

/** Slot of an asyncId (a positive integer, possibly above 2^32) in a table of 2^bits slots. */
function slotOf(id: number, bits: number): number {
  const mixed = Math.imul((id | 0) ^ Math.floor(id / 0x1_0000_0000), 0x9e3779b1);
  return mixed >>> (32 - bits);
}

/** asyncId -> ResourceState, at most `max` entries; the oldest leaves when a new one comes in. */
export class WatchedResources {
  readonly #max: number;
  #bits = 0;
  #ids = new Float64Array(0);
  #states: Array<ResourceState | undefined> = [];
  #size = 0;
  #deleted = 0;
  /** The ids in insertion order (a ring of `max` slots, allocated on first use), to find the oldest. */
  #order = new Float64Array(0);
  #orderHead = 0;
  #orderCount = 0;

  /** @param max the most entries held at once. */
  constructor(max: number) {
    this.#max = max;
  }

  /** Entries held. */
  get size(): number {
    return this.#size;
  }

  /** The state watched under `id`, if any. */
  get(id: number): ResourceState | undefined {
    const slot = this.#find(id);
    return slot < 0 ? undefined : this.#states[slot];
  }

  /**
   * Watches `state` under its asyncId. When `max` entries are held, the
   * oldest leaves first and is returned, for the caller to account for.
   */
  add(state: ResourceState): ResourceState | undefined {
    let evicted: ResourceState | undefined;
    if (this.#orderCount === this.#max) {
      const oldestId = this.#order[this.#orderHead];
      this.#orderHead = (this.#orderHead + 1) % this.#max;
      this.#orderCount--;
      evicted = this.delete(oldestId);
    }
    if (this.#order.length === 0) this.#order = new Float64Array(this.#max);
    if ((this.#size + this.#deleted + 1) * 2 > this.#ids.length) this.#resize();
    const mask = this.#ids.length - 1;
    let slot = slotOf(state.asyncId, this.#bits);
    while (this.#ids[slot] > EMPTY) slot = (slot + 1) & mask;
    if (this.#ids[slot] === DELETED) this.#deleted--;
    this.#ids[slot] = state.asyncId;
    this.#states[slot] = state;
    this.#size++;
    this.#order[(this.#orderHead + this.#orderCount) % this.#max] = state.asyncId;
    this.#orderCount++;
    return evicted;
  }

  /** Stops watching `id`; returns the state that was watched under it. */
  delete(id: number): ResourceState | undefined {
    const slot = this.#find(id);
    if (slot < 0) return undefined;
    const state = this.#states[slot];
    this.#ids[slot] = DELETED;
    this.#states[slot] = undefined;
    this.#size--;
    this.#deleted++;
    return state;
  }

  /** Forgets everything and releases the table. */
  clear(): void {
    this.#bits = 0;
    this.#ids = new Float64Array(0);
    this.#states = [];
    this.#order = new Float64Array(0);
    this.#size = this.#deleted = this.#orderCount = this.#orderHead = 0;
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

  /** Rebuilds the table (twice the live entries, at least the initial size), clearing the old one. */
  #resize(): void {
    const oldIds = this.#ids;
    const oldStates = this.#states;
    let capacity = INITIAL_CAPACITY;
    while (capacity < (this.#size + 1) * 4) capacity *= 2;
    this.#bits = Math.log2(capacity);
    this.#ids = new Float64Array(capacity);
    this.#states = new Array<ResourceState | undefined>(capacity).fill(undefined);
    const mask = capacity - 1;
    for (let i = 0; i < oldIds.length; i++) {
      if (oldIds[i] <= EMPTY) continue;
      let slot = slotOf(oldIds[i], this.#bits);
      while (this.#ids[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.#ids[slot] = oldIds[i];
      this.#states[slot] = oldStates[i];
      oldStates[i] = undefined;
    }
    this.#deleted = 0;
  }
}
