/**
 * `ContextDoctor`: follows async resources with one internal hook (init and
 * destroy, no promises) and, when a span starts, decides whether its context
 * leaked or was lost, and why.
 *
 * At init it records, by asyncId, the resource's type, its trigger and the
 * recording span active where it was created (a `SpanOrigin`, never the span).
 * A resource created with no span is followed only when its trigger is
 * followed, so the table holds the work that descends from spans and nothing
 * of an idle process. Nothing is stored on resources and
 * `executionAsyncResource()` is never called (it would make Node hand every
 * resource to JavaScript for the rest of the process).
 *
 * - **Leaked**: the parent span had already ended when the child started. The
 *   running resource (`executionAsyncId()`) and its triggers say what carried
 *   the context: typically a resource created under an earlier span (a pooled
 *   socket, a queue's timer) whose callbacks now run other work.
 * - **Lost**: a CLIENT, PRODUCER or INTERNAL span started with no parent while
 *   the running resource, or one of its triggers, was created under a
 *   recording span: the context was dropped between the two.
 *
 * The hook's callbacks create no async resources; the engine catches what they throw.
 */
import { context, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { createInternalHook, type AsyncHook } from '../hooks/async-hook';
import { executionAsyncId, triggerAsyncId } from '../hooks/native';
import { CallSiteReader } from './call-site';
import { Finding, MAX_CHAIN } from './finding';
import { fixFor } from './fixes';
import { ResourceTable, type KnownResource } from './resource-table';
import { SpanOrigin } from './span-origin';

/** Live resources followed at most (the oldest live one leaves when more are created). */
export const MAX_FOLLOWED_RESOURCES = 65_536;
/** Instrumentation scope names remembered at most (to tell which instrumentations are on). */
const MAX_SCOPES = 256;
const LOST_KINDS: ReadonlySet<SpanKind> = new Set([SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.INTERNAL]);

type OriginCarrier = Record<symbol, SpanOrigin | undefined> & { name?: unknown };
/** What the doctor reads of an SDK span (`ReadableSpan` and the SDK's `ended`). */
interface SdkSpanView {
  readonly name?: string;
  readonly kind?: SpanKind;
  readonly ended?: boolean;
  readonly endTime?: readonly [number, number];
  readonly instrumentationScope?: { readonly name?: string };
}

function hrTimeToEpochMs(time: readonly [number, number]): number {
  return time[0] * 1000 + time[1] / 1e6;
}

/** Follows resources and examines spans as they start. */
export class ContextDoctor {
  readonly #table: ResourceTable;
  /** Where a span carries its origin once a resource was created under it (dies with the span). */
  readonly #originKey = Symbol('otel-async-context.diagnose-origin');
  readonly #scopes = new Set<string>();
  /** The last scope seen: consecutive spans mostly share it, which spares the Set a lookup. */
  #lastScope: string | undefined;
  readonly #callSites = new CallSiteReader();
  #hook: AsyncHook | undefined;
  #stopped = false;

  /** @param maxFollowed live resources followed at most. */
  constructor(maxFollowed = MAX_FOLLOWED_RESOURCES) {
    this.#table = new ResourceTable(maxFollowed);
  }

  /** Whether the hook is enabled (from `start()` to `stop()`). */
  get enabled(): boolean {
    return this.#hook !== undefined && !this.#stopped;
  }

  /** Resources followed now (bounded). */
  get followedResources(): number {
    return this.#table.size;
  }

  /** Enables the hook (once; not after `stop()`). */
  start(): void {
    if (this.#hook !== undefined || this.#stopped) return;
    this.#hook = createInternalHook({
      init: (asyncId: number, type: string, trigger: number) => this.#init(asyncId, type, trigger),
      destroy: (asyncId: number) => this.#table.delete(asyncId),
      trackPromises: false,
    }).enable();
  }

  /** Disables the hook and forgets every resource. Final. */
  stop(): void {
    this.#stopped = true;
    this.#hook?.disable();
    this.#table.clear();
  }

  /** Notes the span's instrumentation scope (an instrumentation that makes spans is enabled). */
  spanStarted(span: Span): void {
    const scope = (span as unknown as SdkSpanView).instrumentationScope?.name;
    if (scope === undefined || scope === this.#lastScope) return;
    this.#lastScope = scope;
    if (this.#scopes.size < MAX_SCOPES) this.#scopes.add(scope);
  }

  /** Notes when a span under which resources were created ended. */
  spanEnded(span: object): void {
    if (span === null || typeof span !== 'object') return;
    const origin = (span as OriginCarrier)[this.#originKey];
    const endTime = (span as SdkSpanView).endTime;
    if (origin !== undefined && endTime !== undefined) origin.endedAt = hrTimeToEpochMs(endTime);
  }

  /** The finding about `span`, starting under `parentContext`, if its context leaked or was lost. */
  examine(span: Span, parentContext: Context): Finding | undefined {
    const parent = trace.getSpan(parentContext) as (Span & SdkSpanView) | undefined;
    const view = span as unknown as SdkSpanView;
    const kind = view.kind ?? SpanKind.INTERNAL;
    if (parent !== undefined) {
      if (parent.ended !== true) return undefined;
      const now = Date.now();
      const endedAt = parent.endTime !== undefined ? hrTimeToEpochMs(parent.endTime) : now;
      return this.#finding('leaked_context', view, kind, now, { parentName: parent.name ?? '?', parentEndedMsAgo: Math.max(0, now - endedAt) });
    }
    if (!LOST_KINDS.has(kind)) return undefined;
    const { running, chain } = this.#chain();
    if (!chain.some((r) => r.origin !== undefined || r.ancestor !== undefined)) return undefined;
    return this.#finding('lost_context', view, kind, Date.now(), {}, running, chain);
  }

  #finding(
    kind: 'leaked_context' | 'lost_context',
    span: SdkSpanView,
    spanKind: SpanKind,
    now: number,
    parent: { parentName?: string; parentEndedMsAgo?: number },
    running?: number,
    chain?: KnownResource[],
  ): Finding {
    if (running === undefined || chain === undefined) ({ running, chain } = this.#chain());
    const site = this.#callSites.read();
    const fix = fixFor(kind === 'leaked_context', site, (scope) => this.#scopes.has(scope));
    return new Finding({ kind, spanName: span.name ?? '?', spanKind: SpanKind[spanKind], ...parent, runningAsyncId: running, chain, site, fix, now });
  }

  /** The running resource and the followed resources up its trigger chain. */
  #chain(): { running: number; chain: KnownResource[] } {
    const running = executionAsyncId();
    const chain: KnownResource[] = [];
    // Not followed (a promise, say): start from its trigger, which Node knows.
    let entry = this.#table.get(running) ?? this.#table.get(triggerAsyncId());
    while (entry !== undefined && chain.length < MAX_CHAIN) {
      chain.push(entry);
      entry = this.#table.get(entry.triggerAsyncId);
    }
    return { running, chain };
  }

  #init(asyncId: number, type: string, trigger: number): void {
    const active = context.active();
    const span = trace.getSpan(active);
    let origin: SpanOrigin | undefined;
    if (span !== undefined) {
      // Suppressed tracing marks the SDK's own work (exports): not the application's.
      if (isTracingSuppressed(active)) return;
      const carrier = span as unknown as OriginCarrier;
      origin = carrier[this.#originKey];
      if (origin === undefined && span.isRecording()) {
        const { traceId, spanId } = span.spanContext();
        origin = carrier[this.#originKey] = new SpanOrigin(typeof carrier.name === 'string' ? carrier.name : '?', traceId, spanId);
      }
    }
    this.#table.follow(asyncId, type, trigger, origin);
  }
}
