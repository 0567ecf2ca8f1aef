/**
 * examples/shop (express + pg + node-redis) through `--require otel-async-context/register`,
 * against the machine's PostgreSQL and Redis and a real OTLP receiver: the tour's answers, and
 * each request's trace holds its own database and cache spans under its server span.
 */
import { runNode, useOtlpReceiver } from './helpers';
import { SPAN_KIND, type ReceivedSpan } from './otlp-receiver';
import { ensureServices } from './services';

const receiver = useOtlpReceiver();
beforeAll(() => ensureServices());

it('npm run example:shop: the tour answers, and every query and cache call is in its request\'s trace', async () => {
  const run = await runNode(['--env-file=examples/shop/example.env', '--require', 'otel-async-context/register', 'examples/shop/server.js'], {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver().endpoint,
    SHOP_TABLE: `shop_e2e_${process.pid}`,
    SHOP_DROP: '1',
  });
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  expect(run.stdout.trim().split('\n').map((l) => l.replace(/ \{.*|\[.*/, ''))).toEqual([
    'GET /products → 200 ',
    'GET /products/1 → 200',
    'GET /products/1 → 200',
    'POST /orders → 201',
  ]);
  expect(run.stdout).toMatch(/"cached":false[\s\S]*"cached":true/);

  const spans = receiver().spans.filter((s) => s.service === 'shop');
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const underServer = (s: ReceivedSpan): ReceivedSpan | undefined => {
    for (let p = s.parentSpanId && byId.get(s.parentSpanId); p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined) {
      if (p.kind === SPAN_KIND.SERVER) return p;
    }
    return undefined;
  };
  const servers = spans.filter((s) => s.kind === SPAN_KIND.SERVER);
  // Each request: its route and the client spans under its server span, in name order
  // (the order of the exports is not the order of the requests).
  const requests = servers.map((server) => [
    server.name,
    ...spans
      .filter((s) => s.kind === SPAN_KIND.CLIENT && underServer(s) === server && !s.name.startsWith('pg-pool.connect'))
      .map((s) => s.name.replace(/ \S+$/, ''))
      .sort(),
  ]);
  expect(requests.map((r) => r.join(', ')).sort()).toEqual([
    'GET /products, pg.query:SELECT',
    'GET /products/:id, pg.query:SELECT, redis-GET, redis-SET', // a cache miss
    'GET /products/:id, redis-GET', // then a hit
    'POST /orders, pg.query:BEGIN, pg.query:COMMIT, pg.query:INSERT, pg.query:UPDATE, redis-DEL',
  ]);
  for (const server of servers) {
    for (const s of spans.filter((x) => underServer(x) === server)) expect(s.traceId).toBe(server.traceId);
  }
});
