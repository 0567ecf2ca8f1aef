/**
 * `SerialExporter`: the one place between the batch processor and an exporter.
 *
 * - **One export in flight.** The SDK 2.x `BatchSpanProcessor` stops waiting for an
 *   export after `exportTimeoutMillis` and starts the next batch while the first is
 *   still running; against a collector that fails slowly, exports pile up (the OTLP
 *   exporters allow 30 at a time), each holding its batch. Here a batch is handed to
 *   the exporter only when the previous one has finished; batches that arrive meanwhile
 *   wait in a queue bounded in spans (the oldest is dropped, and counted, when it is full).
 * - **The processor never waits on the network.** A batch is acknowledged as soon as it
 *   is queued, so no timer of the batch processor stays armed for a hung export (its
 *   export timer is a ref'd 30 s timer that would hold the process's exit). Failures are
 *   reported here through diag, once per kind (the distribution's repeat filter).
 * - **Nothing ended is lost at exit.** {@link takePending} hands out every span that the
 *   exporter has not confirmed (queued, in flight, or caught while {@link collecting}),
 *   for the synchronous exit flush (exit-flush.ts) to deliver.
 */
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { UnrefScope } from './unref-scope';

const ACCEPTED: ExportResult = Object.freeze({ code: ExportResultCode.SUCCESS });

/** Options of {@link SerialExporter}. */
export interface SerialExporterOptions {
  /** Most spans waiting behind the export in flight; default 2048 (the batch queue's default). */
  readonly maxQueuedSpans?: number;
  /** When given, the exports run in it: nothing they create holds the process (unref-scope.ts). */
  readonly unrefScope?: UnrefScope;
}

/** Bounds the exports of `exporter` to one at a time; see the module comment. */
export class SerialExporter implements SpanExporter {
  readonly #exporter: SpanExporter;
  readonly #maxQueuedSpans: number;
  readonly #unrefScope: UnrefScope | undefined;
  readonly #queue: ReadableSpan[][] = [];
  readonly #idle = new Set<() => void>();
  #queuedSpans = 0;
  /** The batch handed to the exporter and not yet answered. */
  #inFlight: ReadableSpan[] | undefined;
  /** Bumped by {@link takePending}: an answer from an older generation is ignored. */
  #generation = 0;
  #collected: ReadableSpan[][] | undefined;
  #lastFailure: unknown;
  #stopped = false;

  constructor(exporter: SpanExporter, options: SerialExporterOptions = {}) {
    this.#exporter = exporter;
    this.#maxQueuedSpans = options.maxQueuedSpans ?? 2048;
    this.#unrefScope = options.unrefScope;
  }

  /** The exporter behind this one. */
  get exporter(): SpanExporter {
    return this.#exporter;
  }

  /** Spans not yet confirmed by the exporter (in flight and queued). */
  get pendingSpans(): number {
    return this.#queuedSpans + (this.#inFlight?.length ?? 0);
  }

  /** Queues `spans`, and acknowledges them at once (see the module comment). */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#collected !== undefined) this.#collected.push(spans);
    else if (this.#stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('otel-async-context: exporter already shut down') });
      return;
    } else {
      this.#enqueue(spans);
      this.#next();
    }
    resultCallback(ACCEPTED);
  }

  /**
   * From now until {@link endCollecting}, batches given to `export()` are kept here
   * instead of sent: the exit flush calls the provider's `forceFlush()` (which hands the
   * batch processor's spans to `export()` synchronously) in between.
   */
  beginCollecting(): void {
    this.#collected ??= [];
  }

  /** Ends {@link beginCollecting}; returns what was collected and every pending span ({@link takePending}). */
  endCollecting(): ReadableSpan[] {
    const collected = this.#collected ?? [];
    this.#collected = undefined;
    return [...this.takePending(), ...collected.flat()];
  }

  /**
   * Takes every span the exporter has not confirmed: the batch in flight (its answer, if
   * it ever comes, is then ignored: the caller delivers it again) and the queued ones.
   */
  takePending(): ReadableSpan[] {
    const pending = [...(this.#inFlight ?? []), ...this.#queue.flat()];
    this.#generation++;
    this.#inFlight = undefined;
    this.#queue.length = 0;
    this.#queuedSpans = 0;
    this.#wakeIfIdle();
    return pending;
  }

  /** Resolves once nothing is queued or in flight. */
  drained(): Promise<void> {
    if (this.pendingSpans === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.add(resolve));
  }

  /** The failure of the last export, if it failed (cleared by a success). */
  get lastFailure(): unknown {
    return this.#lastFailure;
  }

  /** Waits for the queue to drain, then shuts the exporter down. Callers bound the wait. */
  async shutdown(): Promise<void> {
    await this.drained();
    this.#stopped = true;
    await this.#exporter.shutdown();
  }

  /** Drains what is queued (the batch processor has already handed its spans over). */
  forceFlush(): Promise<void> {
    return this.drained();
  }

  #enqueue(spans: ReadableSpan[]): void {
    this.#queue.push(spans);
    this.#queuedSpans += spans.length;
    let dropped = 0;
    while (this.#queuedSpans > this.#maxQueuedSpans && this.#queue.length > 1) {
      const oldest = this.#queue.shift()!;
      this.#queuedSpans -= oldest.length;
      dropped += oldest.length;
    }
    if (dropped > 0) {
      diag.warn(`otel-async-context: ${dropped} spans dropped: the export queue is full while an export is in flight`);
    }
  }

  #next(): void {
    if (this.#inFlight !== undefined || this.#queue.length === 0) return;
    const batch = this.#queue.shift()!;
    this.#queuedSpans -= batch.length;
    this.#inFlight = batch;
    const generation = this.#generation;
    let answered = false;
    let scope: { done(): void } | undefined;
    const done = (result: ExportResult): void => {
      if (answered) return;
      answered = true;
      scope?.done();
      if (generation !== this.#generation) return;
      this.#inFlight = undefined;
      if (result.code === ExportResultCode.SUCCESS) this.#lastFailure = undefined;
      else {
        this.#lastFailure = result.error ?? new Error('export failed');
        diag.error(`otel-async-context: export failed; ${batch.length} spans lost`, result.error);
      }
      this.#next();
      this.#wakeIfIdle();
    };
    const start = (): void => this.#exporter.export(batch, done);
    try {
      if (this.#unrefScope === undefined) start();
      else {
        scope = this.#unrefScope.run(start);
        if (answered) scope.done(); // answered synchronously, before `scope` was known
      }
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  #wakeIfIdle(): void {
    if (this.pendingSpans !== 0 || this.#idle.size === 0) return;
    const waiters = [...this.#idle];
    this.#idle.clear();
    for (const wake of waiters) wake();
  }
}
