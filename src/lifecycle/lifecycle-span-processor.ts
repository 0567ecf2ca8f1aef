/**
 * `LifecycleSpanProcessor`: the opt-in, per provider. Add it to a tracer
 * provider and the async resources that each span's code creates are
 * recorded on that span (events while it records, a summary as it ends).
 * Without it nothing is hooked and nothing is paid; its hook is enabled when
 * the first tracked span starts and disabled by `shutdown()`.
 *
 * ```ts
 * const provider = new BasicTracerProvider({
 *   spanProcessors: [new LifecycleSpanProcessor(), new BatchSpanProcessor(exporter)],
 * });
 * ```
 * Put it before the exporting processor, so that the summary it writes in
 * `onEnding` is on the span when the exporter sees it.
 */
import { diag, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { lifecycleOptionsFromEnv } from './env';
import { LifecycleTracker, type LifecycleStatistics } from './lifecycle-tracker';
import { resolveLifecycleOptions, type LifecycleOptions } from './options';

/** Records async resource lifecycles as span events and a span-end summary. */
export class LifecycleSpanProcessor implements SpanProcessor {
  readonly #tracker: LifecycleTracker;
  #failureReported = false;

  /** @param options what to record; every option has a default (see `LifecycleOptions`). */
  constructor(options: LifecycleOptions = {}) {
    this.#tracker = new LifecycleTracker(resolveLifecycleOptions(options));
  }

  /** Whether the processor's hook is enabled now (from the first tracked span to shutdown). */
  get enabled(): boolean {
    return this.#tracker.enabled;
  }

  /** Resources whose destroy is being watched now (bounded; for diagnostics). */
  get watchedResources(): number {
    return this.#tracker.watchedResources;
  }

  /**
   * What the processor has recorded so far (a copy): spans tracked, resources recorded,
   * callbacks recorded, spans kept by the tail rule and events written.
   */
  get statistics(): LifecycleStatistics {
    return this.#tracker.statistics;
  }

  /** Starts tracking the span's resources (if the sampling ratio selects its trace). */
  onStart(span: Span, parentContext: Context): void {
    try {
      this.#tracker.track(span, parentContext);
    } catch (err) {
      this.#report(err);
    }
  }

  /** Writes the span's lifecycle summary while the span is still writable. */
  onEnding(span: Span): void {
    try {
      this.#tracker.finish(span);
    } catch (err) {
      this.#report(err);
    }
  }

  /**
   * Normally nothing to do: `onEnding` wrote the summary. With an SDK that
   * does not call `onEnding`, releases what the span held (no summary: the
   * span is read-only by now).
   */
  onEnd(span: ReadableSpan): void {
    try {
      this.#tracker.finish(span as unknown as Span, false);
    } catch (err) {
      this.#report(err);
    }
  }

  /** Nothing is buffered. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Disables the hook and forgets every span and resource. */
  shutdown(): Promise<void> {
    this.#tracker.stop();
    return Promise.resolve();
  }

  /** Telemetry never throws into the application: report the first failure, skip the rest. */
  #report(err: unknown): void {
    if (this.#failureReported) return;
    this.#failureReported = true;
    diag.error('otel-async-context: lifecycle processor failed; the span is left as it is', err);
  }
}

/**
 * The lifecycle processor configured by the environment
 * (`OTEL_ASYNC_CONTEXT_LIFECYCLE=true` and its `OTEL_ASYNC_CONTEXT_LIFECYCLE_*`
 * companions), or `undefined` when lifecycle events are off. Never throws:
 * bad values are reported through `diag` and replaced by defaults.
 *
 * @param env the environment to read; default `process.env`.
 */
export function lifecycleSpanProcessorFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): LifecycleSpanProcessor | undefined {
  const options = lifecycleOptionsFromEnv(env);
  return options === undefined ? undefined : new LifecycleSpanProcessor(options);
}
