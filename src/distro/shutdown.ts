/**
 * Delivers the spans that ended when the process ends, without changing how it ends.
 *
 * - `'exit'` (from `process.exit()` anywhere, an uncaught exception, the loop running
 *   dry): the synchronous exit flush (exit-flush.ts) delivers what ended and is not yet
 *   confirmed, within the deadline. Node goes on ending as it would have (the stack of an
 *   uncaught exception printed, its exit code kept).
 * - `beforeExit` (the loop ran dry): the same flush, done while the loop can still carry
 *   an exporter that needs it; the next `beforeExit` finds nothing new.
 * - A signal of `signals` (our listener is put first, so it sees the application's):
 *   the same flush, then
 *   - if the application handles the signal too, nothing more: tracing goes on, the
 *     application decides when to exit (a drain is traced; an exit flushes again);
 *   - if nobody else does, our listeners are removed and the signal raised again, so
 *     the process dies of it as it would have without us (status 128+n).
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
  /** Delivers what ended, synchronously, within the deadline (the process is ending). */
  flushSync(): void;
  /** Spans ended so far. */
  endedSpans(): number;
  /** Spans handed to the exporters and not yet confirmed. */
  pendingSpans(): number;
}

/**
 * Resolves when `promise` settles (true) or `ms` pass (false), whichever is first; never
 * rejects. The timer holds the process until then: the caller awaits it (an app's
 * `await shutdown()`), and the exports it waits for do not hold the process themselves.
 */
export function settleWithin(promise: Promise<unknown>, ms: number, what = 'flush'): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      diag.warn(`otel-async-context: ${what} did not finish within ${ms} ms; ending anyway`);
      resolve(false);
    }, ms);
  });
  const settled = promise.then(
    () => true,
    (error: unknown) => {
      diag.error(`otel-async-context: ${what} failed`, error);
      return true;
    },
  );
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}

/** The signal, `beforeExit` and `'exit'` listeners of one `start()`; removed by {@link uninstall}. */
export class ExitHandlers {
  readonly #options: Readonly<Required<ShutdownOptions>>;
  readonly #actions: ExitActions;
  readonly #signalListeners = new Map<NodeJS.Signals, () => void>();
  readonly #onBeforeExit = (): void => this.#flushIfPending();
  readonly #onExit = (): void => this.#flushIfPending();
  #flushedAt = 0;
  #installed = false;

  constructor(options: Readonly<Required<ShutdownOptions>>, actions: ExitActions) {
    this.#options = options;
    this.#actions = actions;
  }

  /** Adds the listeners (once). */
  install(): this {
    if (this.#installed) return this;
    this.#installed = true;
    for (const signal of this.#options.signals) {
      const listener = (): void => this.#onSignal(signal);
      this.#signalListeners.set(signal, listener);
      // First, so that it sees the application's listeners before a `once` one removes itself.
      process.prependListener(signal, listener);
    }
    if (this.#options.beforeExit) process.on('beforeExit', this.#onBeforeExit);
    process.on('exit', this.#onExit);
    return this;
  }

  /** Removes the listeners; safe to call more than once. */
  uninstall(): void {
    if (!this.#installed) return;
    this.#installed = false;
    for (const [signal, listener] of this.#signalListeners) process.removeListener(signal, listener);
    this.#signalListeners.clear();
    process.removeListener('beforeExit', this.#onBeforeExit);
    process.removeListener('exit', this.#onExit);
  }

  #onSignal(signal: NodeJS.Signals): void {
    const listener = this.#signalListeners.get(signal);
    const others = process.listeners(signal).filter((l) => l !== listener).length;
    // Synchronously, so that nothing is left in flight for an exit that may follow at once.
    this.#flushIfPending();
    // The application handles it and decides when to exit: tracing goes on.
    if (others > 0) return;
    // Nobody else: the process must die of this signal, as it would have without us.
    this.uninstall();
    process.kill(process.pid, signal);
  }

  #flushIfPending(): void {
    const ended = this.#actions.endedSpans();
    if (ended === this.#flushedAt && this.#actions.pendingSpans() === 0) return;
    this.#flushedAt = ended;
    this.#actions.flushSync();
  }
}
