/**
 * `DiagnoseSpanProcessor`: the context doctor as a span processor any SDK can
 * add. When a span starts under a parent that has already ended (leaked
 * context) or with no parent in code that descends from another span's work
 * (lost context), it says what carried or dropped the context and names the
 * fix: once per distinct finding through diag, on the span as
 * `otel_async_context.diagnosis*` attributes, and in a summary at shutdown.
 *
 * ```ts
 * const provider = new BasicTracerProvider({
 *   spanProcessors: [new DiagnoseSpanProcessor(), new BatchSpanProcessor(exporter)],
 * });
 * ```
 * Without it nothing is hooked; its hook is enabled when the first span
 * starts and disabled by `shutdown()`.
 */
import { diag, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ContextDoctor } from './context-doctor';
import { DiagnosisLog, type Diagnosis } from './diagnosis-log';

/** The environment variable that turns the doctor on in the distribution. */
export const DIAGNOSE_ENV = 'OTEL_ASYNC_CONTEXT_DIAGNOSE';

/** Diagnoses spans that start in the wrong context. */
export class DiagnoseSpanProcessor implements SpanProcessor {
  readonly #doctor = new ContextDoctor();
  readonly #log = new DiagnosisLog();
  #failureReported = false;
  #shutdown = false;

  /** Whether the doctor's hook is enabled now (from the first span to shutdown). */
  get enabled(): boolean {
    return this.#doctor.enabled;
  }

  /** Async resources followed now (bounded). */
  get followedResources(): number {
    return this.#doctor.followedResources;
  }

  /** Every distinct finding so far, with its count. */
  get diagnoses(): Diagnosis[] {
    return this.#log.diagnoses;
  }

  /** Examines the span: a finding is counted, reported once, and put on the span. */
  onStart(span: Span, parentContext: Context): void {
    if (this.#shutdown) return;
    try {
      this.#doctor.start();
      this.#doctor.spanStarted(span);
      const finding = this.#doctor.examine(span, parentContext);
      if (finding === undefined) return;
      this.#log.record(finding);
      span.setAttributes(finding.attributes());
    } catch (err) {
      this.#report(err);
    }
  }

  /** Notes the end of spans under which resources were created. */
  onEnd(span: ReadableSpan): void {
    try {
      this.#doctor.spanEnded(span);
    } catch (err) {
      this.#report(err);
    }
  }

  /** Nothing is buffered. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Prints the summary of the findings, disables the hook, forgets every resource. */
  shutdown(): Promise<void> {
    if (!this.#shutdown) {
      this.#shutdown = true;
      this.#doctor.stop();
      this.#log.summarize();
    }
    return Promise.resolve();
  }

  /** Telemetry never throws into the application: report the first failure, skip the rest. */
  #report(err: unknown): void {
    if (this.#failureReported) return;
    this.#failureReported = true;
    diag.error('otel-async-context: diagnose processor failed; the span is left as it is', err);
  }
}

/**
 * Reads `OTEL_ASYNC_CONTEXT_DIAGNOSE`: on for `true`, off when unset, empty or
 * `false` (any case); any other value is off, with a problem to report. Pure.
 */
export function readDiagnoseEnv(env: Readonly<Record<string, string | undefined>>): { on: boolean; problem?: string } {
  if (env === null || typeof env !== 'object') return { on: false };
  const value = env[DIAGNOSE_ENV];
  const raw = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (raw === undefined || raw === '' || raw === 'false') return { on: false };
  if (raw === 'true') return { on: true };
  return { on: false, problem: `${DIAGNOSE_ENV} must be 'true' or 'false', got ${JSON.stringify(env[DIAGNOSE_ENV])}; using false` };
}

/**
 * The doctor when `OTEL_ASYNC_CONTEXT_DIAGNOSE=true`, else `undefined`: for
 * an SDK set up by hand (`spanProcessors: [...]`). A bad value is reported
 * through diag and means off. Never throws.
 *
 * @param env the environment to read; default `process.env`.
 */
export function diagnoseSpanProcessorFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DiagnoseSpanProcessor | undefined {
  const { on, problem } = readDiagnoseEnv(env);
  if (problem !== undefined) diag.warn(`otel-async-context: ${problem}`);
  return on ? new DiagnoseSpanProcessor() : undefined;
}
