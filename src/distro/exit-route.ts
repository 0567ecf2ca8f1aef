/**
 * How the spans of one exporter are delivered when the process is ending and the event
 * loop will not turn again.
 *
 * - The OTLP/HTTP exporters (protobuf and JSON): the request the exporter would send
 *   (serialized with the same `@opentelemetry/otlp-transformer` serializer, to the URL
 *   and with the headers and compression that the same
 *   `@opentelemetry/otlp-exporter-base` function resolves from the same options and
 *   OTEL_EXPORTER_OTLP_* variables), sent by the export worker (export-worker.ts).
 * - Any other exporter (the console tree, gRPC, yours): its own `export()` is called,
 *   then its `forceFlush()`. The console tree writes synchronously; an exporter that
 *   needs the event loop delivers only if the process goes on (at `beforeExit` it does).
 */
import { diag } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { convertLegacyHttpOptions } from '@opentelemetry/otlp-exporter-base/node-http';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { SyncRequest } from './export-worker';
import type { OtlpOptions } from './options';

/** Delivers spans at exit: either a request for the export worker, or nothing (done directly). */
export interface ExitRoute {
  /** The request that carries `spans`, or undefined when they were handed to the exporter itself. */
  deliver(spans: ReadableSpan[]): SyncRequest | undefined;
}

type Serializer = { serializeRequest(spans: ReadableSpan[]): Uint8Array | undefined };

/** The OTLP/HTTP route: the exporter's request, rebuilt from the same configuration. */
class OtlpHttpRoute implements ExitRoute {
  readonly #url: string;
  readonly #gzip: boolean;
  readonly #serializer: Serializer;
  #headers: Record<string, string>;

  constructor(json: boolean, otlp: OtlpOptions) {
    const contentType = json ? 'application/json' : 'application/x-protobuf';
    const config = convertLegacyHttpOptions(
      {
        ...(otlp.endpoint !== undefined && { url: otlp.endpoint }),
        ...(otlp.headers !== undefined && { headers: { ...otlp.headers } }),
        ...(otlp.compression !== undefined && { compression: otlp.compression as never }),
      },
      'TRACES',
      'v1/traces',
      { 'Content-Type': contentType },
    );
    this.#url = config.url;
    this.#gzip = config.compression === 'gzip';
    this.#serializer = json ? JsonTraceSerializer : ProtobufTraceSerializer;
    this.#headers = { 'Content-Type': contentType };
    // The exporter resolves its headers asynchronously too; they are ready long before any exit.
    config.headers().then(
      (headers) => (this.#headers = { ...headers }),
      () => diag.debug('otel-async-context: OTLP headers could not be resolved for the exit flush'),
    );
  }

  deliver(spans: ReadableSpan[]): SyncRequest | undefined {
    const body = this.#serializer.serializeRequest(spans);
    if (body === undefined) return undefined;
    return { url: this.#url, headers: this.#headers, body, gzip: this.#gzip };
  }
}

/** The direct route: the exporter's own `export()`, then its `forceFlush()`. */
class DirectRoute implements ExitRoute {
  readonly #exporter: SpanExporter;

  constructor(exporter: SpanExporter) {
    this.#exporter = exporter;
  }

  deliver(spans: ReadableSpan[]): undefined {
    try {
      if (spans.length > 0) this.#exporter.export(spans, () => {});
      void this.#exporter.forceFlush?.().catch(() => {});
    } catch (error) {
      diag.error('otel-async-context: export at exit failed', error);
    }
    return undefined;
  }
}

/**
 * The exit route of `exporter`. `otlp` must be the options the exporter was created
 * with (start()'s `otlp`), so that the URL, headers and compression are the same.
 */
export function exitRouteFor(exporter: SpanExporter, otlp: OtlpOptions = {}): ExitRoute {
  if (exporter instanceof ProtoTraceExporter) return new OtlpHttpRoute(false, otlp);
  if (exporter instanceof JsonTraceExporter) return new OtlpHttpRoute(true, otlp);
  return new DirectRoute(exporter);
}

/** The direct route, for an exporter whose configuration is not ours to read (`spanExporters`). */
export function directExitRoute(exporter: SpanExporter): ExitRoute {
  return new DirectRoute(exporter);
}
