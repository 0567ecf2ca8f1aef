/**
 * Builds the span exporters named by OTEL_TRACES_EXPORTER / `options.exporters`.
 *
 * The OTLP exporters read OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS,
 * _TIMEOUT and _COMPRESSION themselves (and report bad values through diag);
 * options given to `start()` are passed as exporter config, which wins over them.
 */
import { diag } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { DistroConfig } from './config';
import { ConsoleTreeExporter } from './console-tree-exporter';
import type { OtlpOptions } from './options';

type CompressionOption = ConstructorParameters<typeof ProtoTraceExporter>[0] extends infer C
  ? C extends { compression?: infer A } ? A : never
  : never;

/** Creates the OTLP trace exporter for the configured protocol. */
export function createOtlpExporter(protocol: DistroConfig['protocol'], otlp: OtlpOptions = {}): SpanExporter {
  const common = {
    ...(otlp.endpoint !== undefined && { url: otlp.endpoint }),
    ...(otlp.timeoutMillis !== undefined && { timeoutMillis: otlp.timeoutMillis }),
    ...(otlp.compression !== undefined && { compression: otlp.compression as CompressionOption }),
  };
  if (protocol === 'grpc') {
    if (otlp.headers !== undefined) {
      diag.warn('otlp.headers applies to the HTTP protocols only; for grpc set OTEL_EXPORTER_OTLP_HEADERS');
    }
    return new GrpcTraceExporter(common);
  }
  const config = { ...common, ...(otlp.headers !== undefined && { headers: { ...otlp.headers } }) };
  return protocol === 'http/json' ? new JsonTraceExporter(config) : new ProtoTraceExporter(config);
}

/** Where the exporters write, for the ones that need it. */
export interface ExporterContext {
  readonly otlp?: OtlpOptions;
  readonly consoleStream?: NodeJS.WritableStream;
}

/** Creates one exporter per configured name, in order. */
export function createExporters(config: DistroConfig, context: ExporterContext = {}): SpanExporter[] {
  return config.exporters.map((name) =>
    name === 'otlp'
      ? createOtlpExporter(config.protocol, context.otlp)
      : new ConsoleTreeExporter({ stream: context.consoleStream }),
  );
}
