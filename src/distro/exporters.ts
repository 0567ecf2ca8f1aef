/**
 * Builds the span exporters named by OTEL_TRACES_EXPORTER / `options.exporters`.
 *
 * The OTLP exporters read OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS,
 * _TIMEOUT and _COMPRESSION themselves (and report bad values through diag);
 * options given to `start()` are passed as exporter config, which wins over them.
 *
 * Each exporter package is loaded only when its protocol is chosen (the gRPC
 * one brings @grpc/grpc-js), and each exporter is constructed inside a guard:
 * settings it cannot work with (gRPC metadata it refuses, an endpoint it cannot
 * parse) turn that exporter off with one diagnostic, secrets removed, instead of
 * ending the application.
 */
import { diag } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { DistroConfig } from './config';
import { ConsoleTreeExporter } from './console-tree-exporter';
import { escapeControl } from './escape-control';
import type { OtlpOptions, OtlpProtocol } from './options';
import type { Redactor } from './secrets';

type CompressionOption = ConstructorParameters<typeof ProtoTraceExporter>[0] extends infer C
  ? C extends { compression?: infer A } ? A : never
  : never;
type ExporterClass = new (config: Record<string, unknown>) => SpanExporter;

/**
 * Loads the exporter class of `protocol`, synchronously, on first use: an app
 * that sends HTTP never loads gRPC, one that prints trees loads neither.
 * `require` is Node's in the CommonJS build; the ES module build defines it with
 * `createRequire(import.meta.url)` (scripts/build.mjs). The names are literal so
 * that bundlers see them.
 */
function exporterClass(protocol: OtlpProtocol): ExporterClass {
  type Module = { OTLPTraceExporter: ExporterClass };
  switch (protocol) {
    case 'grpc':
      return (require('@opentelemetry/exporter-trace-otlp-grpc') as Module).OTLPTraceExporter;
    case 'http/json':
      return (require('@opentelemetry/exporter-trace-otlp-http') as Module).OTLPTraceExporter;
    default:
      return (require('@opentelemetry/exporter-trace-otlp-proto') as Module).OTLPTraceExporter;
  }
}

/**
 * Creates the OTLP trace exporter for the configured protocol.
 * @throws whatever the exporter package throws for settings it refuses; {@link createExporters} guards it.
 */
export function createOtlpExporter(
  protocol: DistroConfig['protocol'],
  otlp: OtlpOptions = {},
  defaults: { readonly timeoutMillis?: number } = {},
): SpanExporter {
  const timeoutMillis = otlp.timeoutMillis ?? defaults.timeoutMillis;
  const common = {
    ...(otlp.endpoint !== undefined && { url: otlp.endpoint }),
    ...(timeoutMillis !== undefined && { timeoutMillis }),
    ...(otlp.compression !== undefined && { compression: otlp.compression as CompressionOption }),
  };
  if (protocol === 'grpc') {
    if (otlp.headers !== undefined) {
      diag.warn('otel-async-context: otlp.headers applies to the HTTP protocols only; for grpc set OTEL_EXPORTER_OTLP_HEADERS');
    }
    return new (exporterClass('grpc'))(common);
  }
  const config = { ...common, ...(otlp.headers !== undefined && { headers: { ...otlp.headers } }) };
  return new (exporterClass(protocol))(config);
}

/** What the exporters need besides the settings. */
export interface ExporterContext {
  readonly otlp?: OtlpOptions;
  /** Where the console tree is written; default standard error. */
  readonly consoleStream?: NodeJS.WritableStream | { write(text: string): unknown };
  /** Removes secrets from the report of an exporter that could not be created. */
  readonly redactor?: Redactor;
}

/** The error of a failed construction, as one safe line. */
function describeFailure(error: unknown, redactor: Redactor | undefined): string {
  const text = error instanceof Error ? error.message : String(error);
  const safe = redactor ? redactor.redact(text) : '(details withheld: they may hold a secret)';
  return escapeControl(safe.length > 300 ? `${safe.slice(0, 297)}...` : safe);
}

/**
 * Creates one exporter per configured name, in order. An exporter whose
 * construction throws is left out, with one diagnostic: tracing goes on
 * without it.
 */
export function createExporters(config: DistroConfig, context: ExporterContext = {}): SpanExporter[] {
  const exporters: SpanExporter[] = [];
  for (const name of config.exporters) {
    try {
      exporters.push(
        name === 'otlp'
          ? createOtlpExporter(config.protocol, context.otlp, { timeoutMillis: config.otlpTimeoutMillis })
          : new ConsoleTreeExporter({ stream: context.consoleStream as NodeJS.WritableStream | undefined }),
      );
    } catch (error) {
      const what = name === 'otlp' ? `the OTLP exporter (${config.protocol})` : `the ${name} exporter`;
      diag.error(
        `otel-async-context: ${what} cannot work with the configured settings and is off: ${describeFailure(error, context.redactor)}`,
      );
    }
  }
  return exporters;
}
