/**
 * The options of `start()`. Every option overrides the environment variable
 * that configures the same thing (docs/configuration.md lists them side by side).
 */
import type { Attributes, DiagLogger, DiagLogLevel } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { BufferConfig, Sampler, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { EngineName } from '../hooks/index';
import type { LifecycleOptions } from '../lifecycle/index';

/** The values of OTEL_TRACES_EXPORTER that this distribution understands. */
export type TracesExporterName = 'otlp' | 'console' | 'none';
/** Every exporter name. */
export const EXPORTER_NAMES: readonly TracesExporterName[] = ['otlp', 'console', 'none'];

/** The OTLP transport protocols (OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL). */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';
/** Every OTLP protocol. */
export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

/** The values of OTEL_PROPAGATORS that this distribution understands. */
export type PropagatorName = 'tracecontext' | 'baggage' | 'none';
/** Every propagator name. */
export const PROPAGATOR_NAMES: readonly PropagatorName[] = ['tracecontext', 'baggage', 'none'];

/**
 * Configuration of the default instrumentations, keyed by package name as
 * `getNodeAutoInstrumentations()` of `@opentelemetry/auto-instrumentations-node`
 * takes it: `{ '@opentelemetry/instrumentation-fs': { enabled: true } }`.
 * `enabled` turns one on or off whatever the environment says; every other
 * field is that instrumentation's own configuration.
 */
export type InstrumentationConfigMap = Readonly<Record<string, Readonly<{ enabled?: boolean; [field: string]: unknown }>>>;

/** OTLP exporter settings; unset fields come from OTEL_EXPORTER_OTLP_* (read by the exporter itself). */
export interface OtlpOptions {
  /** Transport; default OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, OTEL_EXPORTER_OTLP_PROTOCOL, else `http/protobuf`. */
  protocol?: OtlpProtocol;
  /** The full traces URL for HTTP (`http://host:4318/v1/traces`), `http://host:4317` for gRPC. */
  endpoint?: string;
  /** Extra request headers (HTTP protocols only; for gRPC use OTEL_EXPORTER_OTLP_HEADERS). */
  headers?: Record<string, string>;
  /** Per-export timeout in milliseconds. */
  timeoutMillis?: number;
  /** Payload compression. */
  compression?: 'gzip' | 'none';
}

/** Signal and exit handling (see docs/configuration.md, "Shutdown"). */
export interface ShutdownOptions {
  /** Signals on which spans are flushed before the process ends; default `['SIGTERM', 'SIGINT']`. */
  signals?: readonly NodeJS.Signals[];
  /** How long a flush on a signal may take before the process goes on ending; default 5000. */
  timeoutMillis?: number;
  /** Flush on `beforeExit` (the event loop ran dry); default true. */
  beforeExit?: boolean;
}

/** Options of {@link start}; all optional, the environment fills in the rest. */
export interface StartOptions {
  /** Start nothing at all (as OTEL_SDK_DISABLED=true): no globals, no hooks, no handlers. */
  disabled?: boolean;
  /** `service.name` of the resource; default OTEL_SERVICE_NAME, else the SDK's `unknown_service:<process>`. */
  serviceName?: string;
  /** More resource attributes; they win over OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Attributes;
  /**
   * Which exporters receive the spans; default OTEL_TRACES_EXPORTER, else `otlp` when an
   * OTLP endpoint is configured and `console` (the trace tree) when none is.
   */
  exporters?: readonly TracesExporterName[];
  /** OTLP exporter settings. */
  otlp?: OtlpOptions;
  /** Extra exporters (each behind its own BatchSpanProcessor), in addition to {@link exporters}. */
  spanExporters?: readonly SpanExporter[];
  /** Extra span processors, run before the exporting ones. */
  spanProcessors?: readonly SpanProcessor[];
  /** The sampler; default from OTEL_TRACES_SAMPLER[_ARG] (read by the SDK), else parent-based always-on. */
  sampler?: Sampler;
  /** Propagators; default OTEL_PROPAGATORS, else `['tracecontext', 'baggage']`. */
  propagators?: readonly PropagatorName[];
  /** BatchSpanProcessor settings; default OTEL_BSP_*. */
  batch?: BufferConfig;
  /** Diagnostic log level; default OTEL_LOG_LEVEL, else `INFO`. */
  logLevel?: DiagLogLevel;
  /**
   * Where diagnostics go; default stderr (or OTEL_ASYNC_CONTEXT_CONSOLE_FILE); `null` leaves the global
   * diag logger alone. Either way the logger receives each message as one string, secrets removed.
   */
  diagLogger?: DiagLogger | null;
  /** Storage engine of the context manager; default OTEL_ASYNC_CONTEXT_ENGINE, else `native`. */
  engine?: EngineName;
  /**
   * Async resource lifecycles as span events: `true` or options to turn them on, `false` off;
   * default OTEL_ASYNC_CONTEXT_LIFECYCLE[_*], else off.
   */
  lifecycle?: boolean | LifecycleOptions;
  /**
   * The context doctor: report spans that start under an ended parent or lose their parent, and
   * why (docs/diagnose.md); default OTEL_ASYNC_CONTEXT_DIAGNOSE, else off.
   */
  diagnose?: boolean;
  /**
   * Instrumentations to register in addition to the defaults. One whose
   * `instrumentationName` is that of a default (`@opentelemetry/instrumentation-http`)
   * takes that default's place.
   */
  instrumentations?: readonly Instrumentation[];
  /**
   * The upstream Node instrumentation set (docs/configuration.md, "Instrumentations"):
   * `true` (default) turns on those that OTEL_NODE_ENABLED_INSTRUMENTATIONS and
   * OTEL_NODE_DISABLED_INSTRUMENTATIONS leave on; `false` none of them, so
   * {@link instrumentations} replaces the defaults; a {@link InstrumentationConfigMap}
   * configures them one by one.
   */
  defaultInstrumentations?: boolean | InstrumentationConfigMap;
  /** Signal and exit handling; `false` installs no handler at all. */
  shutdown?: ShutdownOptions | false;
  /** Where the console trace tree is written; default stderr, or the file named by OTEL_ASYNC_CONTEXT_CONSOLE_FILE. */
  consoleStream?: NodeJS.WritableStream;
}
