/**
 * examples/http-services against a real OTLP/HTTP receiver: two services, each
 * run through `node --require otel-async-context/register` with no tracing code,
 * form one trace, with parent links across the services both ways and the
 * async resource lifecycle events on their server spans.
 */
import { SPAN_KIND } from './otlp-receiver';
import { runNode, useOtlpReceiver } from './helpers';
import { checkoutTrace, hasCheckout } from './trace-assertions';

const receiver = useOtlpReceiver();

describe.each(['http/protobuf', 'http/json'])('examples/http-services over OTLP %s', (protocol) => {
  it('is one trace across frontend and inventory, with lifecycle events', async () => {
    const run = await runNode(['examples/http-services/run.js'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver().endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/checkout 42: 200 .*"reservation":"R-42-/);
    // Both services end by the re-raised SIGTERM, after flushing.
    expect(run.stdout).toMatch(/inventory stopped \(SIGTERM\)/);
    expect(run.stdout).toMatch(/frontend stopped \(SIGTERM\)/);

    const spans = await receiver().waitFor(hasCheckout);
    const t = checkoutTrace(spans);
    for (const span of Object.values(t)) expect(span.traceId).toBe(t.checkout.traceId);
    expect(t.checkout.parentSpanId).toBeUndefined();
    expect(t.stockClient.parentSpanId).toBe(t.checkout.spanId);
    expect(t.stock.parentSpanId).toBe(t.stockClient.spanId); // frontend -> inventory
    expect(t.pricesClient.parentSpanId).toBe(t.stock.spanId);
    expect(t.prices.parentSpanId).toBe(t.pricesClient.spanId); // inventory -> frontend
    expect([t.checkout.kind, t.stock.kind]).toEqual([SPAN_KIND.SERVER, SPAN_KIND.SERVER]);

    // Lifecycle events (on by default in run.js): what each handler's async work did.
    const types = (s: typeof t.checkout) => new Set(s.events.filter((e) => e.name === 'async.init').map((e) => e.attributes['async.type']));
    expect(t.checkout.events.map((e) => e.name)).toContain('async.init');
    // The file read: FSREQPROMISE up to Node 24, FSREQCALLBACK on Node 26.
    expect([...types(t.checkout)]).toEqual(expect.arrayContaining([expect.stringMatching(/^FSREQ/)]));
    expect([...types(t.stock)]).toEqual(expect.arrayContaining(['Timeout']));
    expect(t.stock.attributes['async.resources.created']).toEqual(expect.any(Number));

    for (const request of receiver().requests) {
      expect(request.contentType).toBe(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
    }
  });
});
