/**
 * A real OTLP/HTTP trace receiver on 127.0.0.1 for the tests: it accepts
 * `POST /v1/traces` as the OTLP exporters send it (protobuf, or JSON; gzip or
 * not), decodes every span with the OTLP schema (otlp-trace.proto, through
 * protobufjs), and answers as a collector does.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as protobuf from 'protobufjs';

/** One decoded span, with the service of its resource. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Undefined for a root span. */
  parentSpanId: string | undefined;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  resource: Record<string, unknown>;
}

/** What the receiver saw of one export request. */
export interface ReceivedRequest {
  contentType: string;
  contentEncoding: string | undefined;
  headers: IncomingHttpHeaders;
  spans: number;
}

export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;

const root = protobuf.parse(readFileSync(join(__dirname, 'otlp-trace.proto'), 'utf8'), { keepCase: false }).root;
const Request = root.lookupType('otlp.ExportTraceServiceRequest');
const Response = root.lookupType('otlp.ExportTraceServiceResponse');

type Json = Record<string, any>;

function hex(id: unknown): string {
  if (id === undefined || id === null) return '';
  if (typeof id === 'string') return /^[0-9a-f]*$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
  return Buffer.from(id as Uint8Array).toString('hex');
}

function anyValue(v: Json | undefined): unknown {
  if (!v) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(anyValue);
  if ('kvlistValue' in v) return attributes(v.kvlistValue.values);
  if ('bytesValue' in v) return v.bytesValue;
  return undefined;
}

function attributes(list: Json[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, anyValue(kv.value)]));
}

/** Flattens a decoded ExportTraceServiceRequest (protobuf objects or OTLP/JSON) into spans. */
export function flatten(request: Json): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const parent = hex(s.parentSpanId);
        spans.push({
          service: String(resource['service.name']),
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: parent === '' ? undefined : parent,
          name: s.name,
          kind: Number(s.kind),
          attributes: attributes(s.attributes),
          events: (s.events ?? []).map((e: Json) => ({ name: e.name, attributes: attributes(e.attributes) })),
          resource,
        });
      }
    }
  }
  return spans;
}

/** The receiver; `start()` it, point OTEL_EXPORTER_OTLP_ENDPOINT at {@link endpoint}. */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly requests: ReceivedRequest[] = [];
  readonly #server: Server;
  readonly #waiters = new Set<() => unknown>();

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Listens on 127.0.0.1 on a free port. */
  static async start(): Promise<OtlpReceiver> {
    const server = createServer();
    const receiver = new OtlpReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/traces') {
          res.writeHead(404).end();
          return;
        }
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const contentType = String(req.headers['content-type'] ?? '');
        const json = contentType.includes('json');
        const decoded: Json = json
          ? JSON.parse(body.toString('utf8'))
          : Request.toObject(Request.decode(body), { longs: String, bytes: Buffer, defaults: false });
        const spans = flatten(decoded);
        receiver.spans.push(...spans);
        receiver.requests.push({ contentType, contentEncoding: req.headers['content-encoding'], headers: req.headers, spans: spans.length });
        if (json) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(Buffer.from(Response.encode(Response.create({})).finish()));
        for (const wake of receiver.#waiters) wake();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return receiver;
  }

  /** The base URL, for OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Resolves once `predicate(spans)` holds; rejects after `timeoutMs` with what was received. */
  waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs = 20_000): Promise<ReceivedSpan[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (!predicate(this.spans)) return false;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(this.spans);
        return true;
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`OTLP receiver: condition not met; received ${this.spans.map((s) => `${s.service}:${s.name}`).join(', ') || 'nothing'}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  /** Forgets what was received. */
  clear(): void {
    this.spans.length = 0;
    this.requests.length = 0;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
