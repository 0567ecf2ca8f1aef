/**
 * What the tracker knows of one async resource it follows: ids, type and
 * timings, never the resource's contents (resource objects can hold
 * hostnames, queries or buffers), and no reference to the resource itself.
 * States are kept by asyncId in the tracker's bounded table
 * (watched-resources.ts) and linked per span (span-lifecycle.ts).
 */
import type { SpanLifecycle } from './span-lifecycle';

/** One recorded resource. */
export class ResourceState {
  readonly asyncId: number;
  readonly type: string;
  readonly triggerAsyncId: number;
  /** The asyncId of the execution context that created it. */
  readonly executionAsyncId: number;
  /** The span the resource was created under. */
  readonly span: SpanLifecycle;
  /** `performance.now()` at init. */
  readonly initAt: number;
  /** Callbacks run so far (before events). */
  runs = 0;
  /** `performance.now()` at the last before, or -1 outside a callback. */
  beforeAt = -1;
  /** Neighbours in the span's list of watched resources (see SpanLifecycle). */
  previous: ResourceState | undefined;
  next: ResourceState | undefined;

  constructor(asyncId: number, type: string, triggerAsyncId: number, executionAsyncId: number, span: SpanLifecycle, initAt: number) {
    this.asyncId = asyncId;
    this.type = type;
    this.triggerAsyncId = triggerAsyncId;
    this.executionAsyncId = executionAsyncId;
    this.span = span;
    this.initAt = initAt;
  }

  /**
   * Whether the resource still counts as pending when its span ends: it was
   * not destroyed (the caller only asks about those), and it is not a
   * one-shot resource that has already run. Node delivers `destroy` in a later
   * turn of the event loop, so a one-shot resource that has run (a nextTick,
   * a fired timer, a finished request) is done even though its destroy is
   * still on its way.
   */
  pendingAtEnd(): boolean {
    if (this.runs === 0) return true;
    // A Timeout that ran twice is an interval: still armed.
    return this.type === 'Timeout' ? this.runs > 1 : !isOneShot(this.type);
  }
}

/** Types whose callback runs once, after which the resource is finished. */
const ONE_SHOT_TYPES: ReadonlySet<string> = new Set([
  'TickObject', 'Immediate', 'Timeout', 'Microtask', 'PROMISE',
]);

const ONE_SHOT_PATTERN = /^FSREQ|REQWRAP$|(?<!HTTPCLIENT)REQUEST$|CONNECTWRAP$|SHUTDOWNWRAP$|WRITEWRAP$|SENDWRAP$|QUERYWRAP$/;

/**
 * Request wrappers (`FSREQCALLBACK`, `GETADDRINFOREQWRAP`, `WRITEWRAP`,
 * `SHUTDOWNWRAP`, `TCPCONNECTWRAP`, `QUERYWRAP`, ...) complete once.
 * and so do crypto jobs (`PBKDF2REQUEST`, ...). A `Timeout` counts as
 * one-shot until it has run twice (an interval): the resource object does not
 * say which it is, and the tracker never reads a resource's contents.
 */
export function isOneShot(type: string): boolean {
  return ONE_SHOT_TYPES.has(type) || ONE_SHOT_PATTERN.test(type);
}
