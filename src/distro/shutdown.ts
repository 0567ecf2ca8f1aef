/**
 * Flushes spans when the process is about to end, without changing how it ends.
 *
 * - On each configured signal (SIGTERM, SIGINT): shut the SDK down (flush) within
 *   a timeout, then, if nobody else listens to that signal, raise it again with
 *   our handlers removed, so the process dies of it exactly as it would have
 *   (same signal, same exit status). If the application listens too, it decides
 *   when to exit, and we only flush.
 * - On `beforeExit` (the event loop ran dry): flush if spans ended since the
 *   last flush. The export keeps the loop alive; the next `beforeExit` finds
 *   nothing new and the process exits with the exit code it had.
 */
import { diag, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ShutdownOptions } from './options';

/** Counts ended spans, so that `beforeExit` flushes only when there is something to flush. */
export class EndedSpanCounter implements SpanProcessor {
  #ended = 0;

  /** How many spans have ended so far. */
  get ended(): number {
    return this.#ended;
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(_span: ReadableSpan): void {
    this.#ended++;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** What {@link ExitHandlers} calls. */
export interface ExitActions {
  /** Final shutdown (idempotent): flushes and stops the SDK. */
  shutdown(): Promise<void>;
  /** Exports what is buffered. */
  forceFlush(): Promise<void>;
  /** Spans ended so far. */
  endedSpans(): number;
}

/** Resolves when `promise` settles or `ms` pass, whichever is first; never rejects. */
function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      diag.warn(`otel-async-context: flush did not finish within ${ms} ms; ending anyway`);
      resolve();
    }, ms);
  });
  const settled = promise.then(
    () => undefined,
    (error: unknown) => diag.error('otel-async-context: flush failed', error),
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}

/** The signal and `beforeExit` handlers of one `start()`; removed by {@link uninstall}. */
export class ExitHandlers {
  readonly #options: Readonly<Required<ShutdownOptions>>;
  readonly #actions: ExitActions;
  readonly #signalListeners = new Map<NodeJS.Signals, () => void>();
  readonly #onBeforeExit = (): void => this.#beforeExit();
  #flushedAt = 0;
  #installed = false;

  constructor(options: Readonly<Required<ShutdownOptions>>, actions: ExitActions) {
    this.#options = options;
    this.#actions = actions;
  }

  /** Adds the handlers (once). */
  install(): this {
    if (this.#installed) return this;
    this.#installed = true;
    for (const signal of this.#options.signals) {
      const listener = (): void => this.#onSignal(signal);
      this.#signalListeners.set(signal, listener);
      process.on(signal, listener);
    }
    if (this.#options.beforeExit) process.on('beforeExit', this.#onBeforeExit);
    return this;
  }

  /** Removes the handlers; safe to call more than once. */
  uninstall(): void {
    if (!this.#installed) return;
    this.#installed = false;
    for (const [signal, listener] of this.#signalListeners) process.removeListener(signal, listener);
    this.#signalListeners.clear();
    process.removeListener('beforeExit', this.#onBeforeExit);
  }

  #onSignal(signal: NodeJS.Signals): void {
    this.uninstall();
    // Decided now: if the application handles this signal, it decides when to exit.
    const reraise = process.listenerCount(signal) === 0;
    void settleWithin(this.#actions.shutdown(), this.#options.timeoutMillis).then(() => {
      if (reraise && process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }

  #beforeExit(): void {
    const ended = this.#actions.endedSpans();
    if (ended === this.#flushedAt) return;
    this.#flushedAt = ended;
    void settleWithin(this.#actions.forceFlush(), this.#options.timeoutMillis);
  }
}
