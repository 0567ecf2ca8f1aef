/**
 * Delivers the spans that ended when the process ends, without changing how it ends.
 *
 * - `'exit'` (from `process.exit()` anywhere, an uncaught exception, the loop running
 *   dry): the synchronous exit flush (exit-flush.ts) delivers what ended and is not yet
 *   confirmed, within the deadline. Node goes on ending as it would have (the stack of an
 *   uncaught exception printed, its exit code kept).
 * - `beforeExit` (the loop ran dry): an export through the exporters, the loop held by
 *   a timer until they confirm or the deadline passes (then what is unconfirmed is given
 *   up); the next `beforeExit` finds nothing new.
 * - A signal of `signals` (our listener is put first, so it sees the application's):
 *   - handled by the application too: the same export, not waited for; tracing goes on,
 *     the application decides when to exit (a drain is traced; an exit delivers again,
 *     synchronously, whatever is still unconfirmed);
 *   - handled by nobody else: our signal listeners are removed, the same export is waited
 *     for (at most the deadline), and the signal is raised again, so the process dies of
 *     it as it would have without us (status 128+n).
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
  /** Exports what ended and waits for the exporters to confirm (the loop still turns). */
  flush(): Promise<void>;
  /** Delivers what ended, synchronously, within the deadline (the loop will not turn again). */
  flushSync(): void;
  /** Gives up on what is still unconfirmed (reports it lost). */
  abandon(): void;
  /** Spans ended so far. */
  endedSpans(): number;
  /** Spans handed to the exporters and not yet confirmed. */
  pendingSpans(): number;
}

/**
 * Resolves when `promise` settles (true) or `ms` pass (false), whichever is first; never
 * rejects. With `hold` (the default) the timer holds the process until then, for a caller
 * that waits on purpose (an app's `await shutdown()`, a signal about to be raised again):
 * the exports it waits for do not hold the process themselves.
 */
export function settleWithin(promise: Promise<unknown>, ms: number, what = 'flush', hold = true): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      diag.warn(`otel-async-context: ${what} did not finish within ${ms} ms; ending anyway`);
      resolve(false);
    }, ms);
    if (!hold) timer.unref();
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
  readonly #onBeforeExit = (): void => this.#beforeExit();
  readonly #onExit = (): void => this.#exit();
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
    if (others > 0) {
      // The application handles it and decides when to exit: export now, tracing goes on.
      // If it exits before the export is confirmed, 'exit' delivers again, synchronously.
      void this.#flush(false);
      return;
    }
    // Nobody else: the process must die of this signal, as it would have without us,
    // once the export is confirmed or the deadline passes. A second signal meanwhile kills.
    for (const [s, l] of this.#signalListeners) process.removeListener(s, l);
    this.#signalListeners.clear();
    void this.#flush(true).then(() => {
      this.uninstall();
      process.kill(process.pid, signal);
    });
  }

  /** Exports what ended since the last flush, waiting at most the deadline; gives the rest up. */
  async #flush(hold: boolean): Promise<void> {
    if (!this.#pending()) return;
    this.#flushedAt = this.#actions.endedSpans();
    const inTime = await settleWithin(this.#actions.flush(), this.#options.timeoutMillis, 'flush', hold);
    if (!inTime) this.#actions.abandon();
  }

  #beforeExit(): void {
    // The loop ran dry: it still turns for an export, which the timer of #flush holds it for.
    void this.#flush(true);
  }

  #exit(): void {
    if (!this.#pending()) return;
    this.#flushedAt = this.#actions.endedSpans();
    this.#actions.flushSync();
  }

  #pending(): boolean {
    return this.#actions.endedSpans() !== this.#flushedAt || this.#actions.pendingSpans() !== 0;
  }
}
