/**
 * How the spans of one exporter are delivered when the process is ending and the event
 * loop will not turn again.
 *
 * - The OTLP/HTTP exporters (protobuf and JSON): the request the exporter itself would
 *   send, built with its own serializer and its own resolved parameters (URL, headers,
 *   compression), and sent by the export worker (export-worker.ts). They are read from
 *   the exporter's delegate (private fields of @opentelemetry/otlp-exporter-base 0.223:
 *   `_delegate._serializer`, `_delegate._transport._transport._parameters`), so that the
 *   OTEL_EXPORTER_OTLP_* variables are not parsed, and reported, a second time. Where that
 *   shape is not found, the exporter gets the direct route; test/distro/exit-delivery
 *   fails then, since `process.exit()` delivers nothing through it.
 * - Any other exporter (the console tree, gRPC, yours): its own `export()` is called,
 *   then its `forceFlush()`. The console tree writes synchronously; an exporter that
 *   needs the event loop delivers only if the process goes on (at `beforeExit` it does).
 */
import { diag } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { SyncRequest } from './export-worker';

/** Delivers spans at exit: either a request for the export worker, or nothing (done directly). */
export interface ExitRoute {
  /** The request that carries `spans`, or undefined when they were handed to the exporter itself. */
  deliver(spans: ReadableSpan[]): SyncRequest | undefined;
}

interface Serializer {
  serializeRequest(spans: ReadableSpan[]): Uint8Array | undefined;
}

/** The resolved parameters of an OTLP/HTTP exporter's transport. */
interface HttpParameters {
  url: string;
  compression?: string;
  headers: () => Promise<Record<string, string>>;
}

/** What an OTLPExporterBase over an HTTP transport keeps (see the module comment). */
interface OtlpHttpShape {
  _delegate?: {
    _serializer?: Serializer;
    _transport?: { _transport?: { _parameters?: HttpParameters } };
  };
}

function otlpHttpParts(exporter: SpanExporter): { serializer: Serializer; parameters: HttpParameters } | undefined {
  const delegate = (exporter as OtlpHttpShape)._delegate;
  const serializer = delegate?._serializer;
  const parameters = delegate?._transport?._transport?._parameters;
  if (typeof serializer?.serializeRequest !== 'function') return undefined;
  if (typeof parameters?.url !== 'string' || typeof parameters.headers !== 'function') return undefined;
  return { serializer, parameters };
}

/** The OTLP/HTTP route: the exporter's own request. */
class OtlpHttpRoute implements ExitRoute {
  readonly #url: string;
  readonly #gzip: boolean;
  readonly #serializer: Serializer;
  #headers: Record<string, string> = {};

  constructor(serializer: Serializer, parameters: HttpParameters) {
    this.#url = parameters.url;
    this.#gzip = parameters.compression === 'gzip';
    this.#serializer = serializer;
    // The exporter resolves its headers asynchronously too; they are ready long before any exit.
    parameters.headers().then(
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

/** The exit route of an exporter that `start()` created (see the module comment). */
export function exitRouteFor(exporter: SpanExporter): ExitRoute {
  const parts = otlpHttpParts(exporter);
  return parts === undefined ? new DirectRoute(exporter) : new OtlpHttpRoute(parts.serializer, parts.parameters);
}

/** The direct route, for an exporter whose configuration is not ours to read (`spanExporters`). */
export function directExitRoute(exporter: SpanExporter): ExitRoute {
  return new DirectRoute(exporter);
}
