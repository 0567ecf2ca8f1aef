/**
 * The part of Jaeger's internal HTTP query API that scripts/e2e.mjs reads
 * (`GET /api/traces?service=...`), served on 127.0.0.1 from the spans an
 * OtlpReceiver decoded, in Jaeger's JSON shape (spanID, references CHILD_OF,
 * processes[processID].serviceName, tags with `span.kind`, logs with `event`).
 * It lets the test run the script's own queries and assertions without Docker.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SPAN_KIND, type ReceivedSpan } from './otlp-receiver';

const KIND: Record<number, string> = { [SPAN_KIND.INTERNAL]: 'internal', [SPAN_KIND.SERVER]: 'server', [SPAN_KIND.CLIENT]: 'client', 4: 'producer', 5: 'consumer' };

function tag(key: string, value: unknown) {
  const type = typeof value === 'number' ? (Number.isInteger(value) ? 'int64' : 'float64') : typeof value === 'boolean' ? 'bool' : 'string';
  return { key, type, value: type === 'string' ? String(value) : value };
}

/** Jaeger's answer for `service`: every trace in which the service has a span. */
export function jaegerTraces(spans: readonly ReceivedSpan[], service: string) {
  const byTrace = new Map<string, ReceivedSpan[]>();
  for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  const data = [...byTrace.values()]
    .filter((trace) => trace.some((s) => s.service === service))
    .map((trace) => {
      const services = [...new Set(trace.map((s) => s.service))];
      return {
        traceID: trace[0]!.traceId,
        spans: trace.map((s) => ({
          traceID: s.traceId,
          spanID: s.spanId,
          operationName: s.name,
          references: s.parentSpanId ? [{ refType: 'CHILD_OF', traceID: s.traceId, spanID: s.parentSpanId }] : [],
          tags: [...Object.entries(s.attributes).map(([k, v]) => tag(k, v)), tag('span.kind', KIND[s.kind] ?? 'internal')],
          logs: s.events.map((e) => ({ fields: [tag('event', e.name), ...Object.entries(e.attributes).map(([k, v]) => tag(k, v))] })),
          processID: `p${services.indexOf(s.service) + 1}`,
        })),
        processes: Object.fromEntries(services.map((name, i) => [`p${i + 1}`, { serviceName: name, tags: [] }])),
      };
    });
  return { data, total: data.length, limit: 0, offset: 0, errors: null };
}

/** Serves `GET /api/traces?service=` from `spans` (read at request time). */
export async function startFakeJaeger(spans: readonly ReceivedSpan[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/api/traces') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jaegerTraces(spans, url.searchParams.get('service') ?? '')));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
