/**
 * Fan-out from Node's async hooks to ours.
 *
 * Every hook of ours subscribes to one Channel per callback it has. A channel
 * owns one native hook that has only that callback, enabled while the channel
 * has subscribers, so Node only ever calls into JavaScript for the events that
 * somebody listens to, however many hooks of ours are enabled. There are two
 * channels per callback kind: one whose native hook tracks promises and one
 * that does not (`trackPromises: false`, where Node supports it).
 *
 * Recursion guard: a resource created while one of our hooks' callbacks runs
 * (a `console.log` in `init`, say), or while a resource so created runs its
 * own callbacks, is not reported to that hook. The mark travels on the
 * resource object (tagged with its asyncId, because Node reuses some resource
 * objects) and, for destroy and promiseResolve that carry only an id, in a
 * bounded map.
 */
import { executionAsyncResource, nativeCreateHook, supportsTrackPromises } from './native';

export type HookKind = 'init' | 'before' | 'after' | 'destroy' | 'promiseResolve';

/** One subscriber of a channel: the hook (used as `this`) and its callback. */
export interface Subscriber {
  readonly owner: object;
  readonly fn: (...args: never[]) => unknown;
  /** The package's own hooks: never reported as a throwing user hook, no recursion tracking. */
  readonly internal: boolean;
}

interface Mark {
  readonly asyncId: number;
  readonly owners: readonly object[];
}

const kMark = Symbol('otel-async-context.suppressed');
/** Resources (by asyncId) whose destroy/promiseResolve must skip some hooks. */
const markedIds = new Map<number, readonly object[]>();
/** Upper bound on markedIds: ids of marked resources that never see destroy are dropped oldest first. */
const MAX_MARKED_IDS = 10_000;
/**
 * On Node lines without `trackPromises`, the ids of promises, so that a
 * no-promise destroy channel can drop their destroy events. Fed by a native
 * init hook of its own, enabled only while that channel has subscribers;
 * emptied as the destroys arrive, and bounded.
 */
const promiseIds = new Set<number>();
const MAX_PROMISE_IDS = 100_000;
let promiseIdFeed: ReturnType<typeof nativeCreateHook> | undefined;

function setPromiseIdFeed(on: boolean): void {
  if (on) {
    promiseIdFeed ??= nativeCreateHook({
      init(asyncId: number, type: string) {
        if (type === 'PROMISE' && promiseIds.size < MAX_PROMISE_IDS) promiseIds.add(asyncId);
      },
    });
    promiseIdFeed.enable();
  } else {
    promiseIdFeed?.disable();
    promiseIds.clear();
  }
}

/** Hooks of ours whose callback is running now, innermost last. */
const running: object[] = [];
/** Set once a resource has been marked; until then no event pays for the check. */
let marksExist = false;
/** Reports an internal hook's failure once: telemetry never throws into the app. */
let internalFailureReported = false;

function reportInternalFailure(err: unknown): void {
  if (internalFailureReported) return;
  internalFailureReported = true;
  try {
    process.emitWarning(`otel-async-context: an internal async hook failed and was skipped: ${(err as Error)?.stack ?? err}`,
      { code: 'OTEL_ASYNC_CONTEXT_HOOK_FAILED' });
  } catch {
    // Nothing more can be done without risking the application.
  }
}

/**
 * Calls one subscriber. Arguments are passed positionally (no array per
 * event): init has four, the other kinds one, the rest are undefined.
 */
function call(sub: Subscriber, a: number, b?: string, c?: number, d?: object): void {
  if (sub.internal) {
    try {
      (sub.fn as (...args: unknown[]) => void).call(sub.owner, a, b, c, d);
    } catch (err) {
      reportInternalFailure(err);
    }
    return;
  }
  running.push(sub.owner);
  try {
    // A throw goes on into Node, which prints the stack and exits (the reference's error handling).
    if (b === undefined) (sub.fn as (id: number) => void).call(sub.owner, a);
    else (sub.fn as (...args: unknown[]) => void).call(sub.owner, a, b, c, d);
  } finally {
    running.pop();
  }
}

/**
 * The native callback for a lone internal subscriber: its function, called
 * directly with the hook as `this`, a throw reported instead of raised. One
 * function per arity, so that each call site sees few targets.
 */
function guarded(kind: HookKind, sub: Subscriber): (...args: never[]) => void {
  const fn = sub.fn as (...args: unknown[]) => void;
  const owner = sub.owner;
  if (kind === 'init') {
    return function directInit(asyncId: number, type: string, triggerAsyncId: number, resource: object): void {
      try {
        fn.call(owner, asyncId, type, triggerAsyncId, resource);
      } catch (err) {
        reportInternalFailure(err);
      }
    };
  }
  return function directEvent(asyncId: number): void {
    try {
      fn.call(owner, asyncId);
    } catch (err) {
      reportInternalFailure(err);
    }
  };
}

function liveMark(resource: unknown, asyncId: number): Mark | undefined {
  if (resource === null || typeof resource !== 'object') return undefined;
  const mark = (resource as { [kMark]?: Mark })[kMark];
  return mark !== undefined && mark.asyncId === asyncId ? mark : undefined;
}

/** Owners that must not hear of a resource being created now, or undefined. */
function suppressedAtInit(asyncId: number, resource: object): readonly object[] | undefined {
  const exec = executionAsyncResource() as { [kMark]?: Mark };
  const inherited = exec[kMark];
  let owners: object[] | undefined;
  if (inherited !== undefined) owners = inherited.owners.slice();
  for (const owner of running) {
    if (owners === undefined) owners = [owner];
    else if (!owners.includes(owner)) owners.push(owner);
  }
  if (owners === undefined) return undefined;
  marksExist = true;
  try {
    Object.defineProperty(resource, kMark, { value: { asyncId, owners }, configurable: true, writable: true });
  } catch {
    // A frozen resource cannot carry the mark; its own events are still matched by id.
  }
  if (markedIds.size >= MAX_MARKED_IDS) markedIds.delete(markedIds.keys().next().value as number);
  markedIds.set(asyncId, owners);
  return owners;
}

function isPromise(value: unknown): boolean {
  return value instanceof Promise;
}

/** The subscribers of one callback kind, with the native hook that feeds them. */
export class Channel {
  subscribers: readonly Subscriber[] = [];
  readonly #kind: HookKind;
  readonly #trackPromises: boolean;
  /** On Node lines without `trackPromises`, a no-promise channel drops PROMISE events itself. */
  readonly #filterPromises: boolean;
  /** The native hook that feeds the dispatcher. */
  #native: ReturnType<typeof nativeCreateHook> | undefined;
  /** With a lone internal subscriber and nothing to filter, a native hook that calls it directly. */
  #direct: { sub: Subscriber; hook: ReturnType<typeof nativeCreateHook> } | undefined;

  constructor(kind: HookKind, trackPromises: boolean) {
    this.#kind = kind;
    this.#trackPromises = trackPromises;
    this.#filterPromises = !trackPromises && !supportsTrackPromises;
  }

  /** Adds a subscriber; copy-on-write, so an event being dispatched is not affected. */
  add(sub: Subscriber): void {
    this.subscribers = [...this.subscribers, sub];
    this.#update();
  }

  /** Removes the subscriber of `owner`, if present. */
  remove(owner: object): void {
    const next = this.subscribers.filter((s) => s.owner !== owner);
    if (next.length === this.subscribers.length) return;
    this.subscribers = next;
    this.#update();
  }

  /** Enables the one native hook that the subscribers need, or none. */
  #update(): void {
    const subs = this.subscribers;
    if (this.#kind === 'destroy' && this.#filterPromises) setPromiseIdFeed(subs.length > 0);
    const lone = subs.length === 1 && subs[0].internal && !this.#filterPromises ? subs[0] : undefined;
    if (lone !== undefined) {
      if (this.#direct?.sub !== lone) {
        this.#direct?.hook.disable();
        this.#direct = { sub: lone, hook: this.#createNative(guarded(this.#kind, lone)) };
      }
      this.#direct.hook.enable();
      this.#native?.disable();
      return;
    }
    this.#direct?.hook.disable();
    this.#direct = undefined;
    if (subs.length === 0) {
      this.#native?.disable();
      return;
    }
    this.#native ??= this.#createNative(this.#dispatcher());
    this.#native.enable();
  }

  #createNative(callback: (...args: never[]) => void): ReturnType<typeof nativeCreateHook> {
    const callbacks: Record<string, unknown> = { [this.#kind]: callback };
    if (!this.#trackPromises && supportsTrackPromises) callbacks.trackPromises = false;
    return nativeCreateHook(callbacks);
  }

  #dispatcher(): (...args: never[]) => void {
    const self = this;
    switch (this.#kind) {
      case 'init':
        return function init(asyncId: number, type: string, triggerAsyncId: number, resource: object): void {
          if (self.#filterPromises && type === 'PROMISE') return;
          const subs = self.subscribers;
          if (running.length === 0 && !marksExist) {
            for (let i = 0; i < subs.length; i++) call(subs[i], asyncId, type, triggerAsyncId, resource);
            return;
          }
          const skip = suppressedAtInit(asyncId, resource);
          for (let i = 0; i < subs.length; i++) {
            const sub = subs[i];
            if (skip !== undefined && skip.includes(sub.owner)) continue;
            call(sub, asyncId, type, triggerAsyncId, resource);
          }
        };
      case 'before':
      case 'after':
        return function beforeOrAfter(asyncId: number): void {
          let skip: readonly object[] | undefined;
          if (self.#filterPromises || marksExist) {
            const exec = executionAsyncResource();
            if (self.#filterPromises && isPromise(exec)) return;
            skip = liveMark(exec, asyncId)?.owners;
          }
          self.#fanOut(asyncId, skip);
        };
      case 'destroy':
        return function destroy(asyncId: number): void {
          if (self.#filterPromises && promiseIds.delete(asyncId)) return;
          let skip: readonly object[] | undefined;
          if (marksExist) {
            skip = markedIds.get(asyncId);
            markedIds.delete(asyncId);
          }
          self.#fanOut(asyncId, skip);
        };
      case 'promiseResolve':
        return function promiseResolve(asyncId: number): void {
          self.#fanOut(asyncId, marksExist ? markedIds.get(asyncId) : undefined);
        };
    }
  }

  #fanOut(asyncId: number, skip: readonly object[] | undefined): void {
    const subs = this.subscribers;
    for (let i = 0; i < subs.length; i++) {
      const sub = subs[i];
      if (skip !== undefined && skip.includes(sub.owner)) continue;
      call(sub, asyncId);
    }
  }
}

const channels = {
  promises: new Map<HookKind, Channel>(),
  noPromises: new Map<HookKind, Channel>(),
};

/** The shared channel for a callback kind and promise interest. */
export function channel(kind: HookKind, trackPromises: boolean): Channel {
  const group = trackPromises ? channels.promises : channels.noPromises;
  let ch = group.get(kind);
  if (ch === undefined) {
    ch = new Channel(kind, trackPromises);
    group.set(kind, ch);
  }
  return ch;
}

/** Counts of subscribers per channel, for tests and diagnostics. */
export function channelStats(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [group, map] of Object.entries(channels)) {
    for (const [kind, ch] of map) out[`${group}.${kind}`] = ch.subscribers.length;
  }
  return out;
}
