/**
 * Real services through `otel-async-context/register`, against the machine's
 * PostgreSQL, MariaDB and Redis: an express app and a fastify app
 * (test/e2e/fixtures/services), each with a pg Pool, a mysql2 pool and ioredis,
 * pools of 2 connections under 20 concurrent requests, on both engines, as a
 * CommonJS app (`--require`) and as its ES module twin (`--import`). The spans go
 * to a real OTLP receiver. Every database and cache span must be in its own
 * request's trace, under that request's server span with only framework spans
 * in between; no span may be outside a request; the ES module app must have the
 * spans of its CommonJS twin. CI runs this file on Node 20 and on Node 24.
 */
import { ensureBuilt, runNode } from './helpers';
import { OtlpReceiver, SPAN_KIND, type ReceivedSpan } from './otlp-receiver';
import { ensureServices } from './services';

const REQUESTS = 20; // test/e2e/fixtures/services/work.cjs
const FIXTURES = 'test/e2e/fixtures/services';

let receiver: OtlpReceiver;
beforeAll(async () => {
  ensureBuilt();
  await ensureServices();
  receiver = await OtlpReceiver.start();
});
afterAll(() => receiver?.close());

/** The request a span names in its statement or key (`req_<id>`), if any. */
function requestToken(span: ReceivedSpan): number | undefined {
  for (const value of Object.values(span.attributes)) {
    const match = typeof value === 'string' ? /\breq_(\d+)\b/.exec(value) : null;
    if (match) return Number(match[1]);
  }
  return undefined;
}

function store(span: ReceivedSpan): string | undefined {
  const system = span.attributes['db.system.name'] ?? span.attributes['db.system'];
  return typeof system === 'string' ? `${system} ${span.name.split(/[\s:]/)[0]!.toLowerCase()}` : undefined;
}

/**
 * Checks the spans of one run and returns its shape: the distinct
 * "parent > span" name pairs, request numbers masked.
 */
function checkRequests(spans: readonly ReceivedSpan[]): string[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const servers = spans.filter((s) => s.kind === SPAN_KIND.SERVER);
  const serverOf = new Map(servers.map((s) => [Number(/\/work\/(\d+)$/.exec(String(s.attributes['url.path']))?.[1]), s]));
  expect([...serverOf.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: REQUESTS }, (_, i) => i));
  const requestOfTrace = new Map([...serverOf].map(([id, s]) => [s.traceId, id]));
  expect(requestOfTrace.size).toBe(REQUESTS);

  const problems: string[] = [];
  const stores = new Map<number, string[]>();
  for (const span of spans) {
    if (!requestOfTrace.has(span.traceId)) problems.push(`${span.name} is in no request's trace`);
    const id = requestToken(span);
    if (id === undefined) continue;
    const server = serverOf.get(id)!;
    stores.set(id, [...(stores.get(id) ?? []), store(span) ?? span.name].sort());
    if (span.traceId !== server.traceId) {
      problems.push(`${span.name} of request ${id} is in the trace of request ${requestOfTrace.get(span.traceId)}`);
      continue;
    }
    let parent = span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId);
    while (parent !== undefined && parent !== server) {
      if (parent.kind !== SPAN_KIND.INTERNAL) problems.push(`${span.name} of request ${id} is under ${parent.name} (kind ${parent.kind})`);
      parent = parent.parentSpanId === undefined ? undefined : byId.get(parent.parentSpanId);
    }
    if (parent !== server) problems.push(`${span.name} of request ${id} is not under its request's server span`);
  }
  expect(problems).toEqual([]);
  for (let id = 0; id < REQUESTS; id++) {
    expect([id, stores.get(id)]).toEqual([id, ['mysql select', 'postgresql pg.query', 'redis get', 'redis set']]);
  }
  const name = (s: ReceivedSpan | undefined) => (s === undefined ? '(root)' : s.name.replace(/\d+/g, 'N'));
  return [...new Set(spans.map((s) => `${name(s.parentSpanId === undefined ? undefined : byId.get(s.parentSpanId))} > ${name(s)}`))].sort();
}

const APPS = ['express', 'fastify'] as const;
const ENGINES = ['native', 'hooks'] as const;
const CASES = APPS.flatMap((app) => ENGINES.map((engine) => [app, engine] as const));

describe.each(CASES)('%s app, %s engine', (app, engine) => {
  const shapes: Partial<Record<'cjs' | 'esm', string[]>> = {};

  it.each([
    ['cjs', '--require'],
    ['esm', '--import'],
  ] as const)('%s app through %s: every db and cache span in its request\'s trace, under its server span', async (kind, flag) => {
    const service = `${app}-${kind}-${engine}`;
    const run = await runNode([flag, 'otel-async-context/register', `${FIXTURES}/${app}-app.${kind === 'cjs' ? 'cjs' : 'mjs'}`], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_SERVICE_NAME: service,
      OTEL_ASYNC_CONTEXT_ENGINE: engine,
      // One span per lookup and per socket, some outside any request (the server's listen, the Redis connection).
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'dns,net',
    }, 25_000);
    expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    const answers = JSON.parse(run.stdout) as { id: number; pg: number; mysql: number; redis: number }[];
    expect(answers).toEqual(Array.from({ length: REQUESTS }, (_, id) => ({ id, pg: id, mysql: id, redis: id })));
    // The child flushed before it exited: everything it recorded has arrived.
    const spans = receiver.spans.filter((s) => s.service === service);
    shapes[kind] = checkRequests(spans);
  });

  it('the ES module app has the spans of its CommonJS twin', () => {
    expect(shapes.esm).toEqual(shapes.cjs);
    if (app === 'express') expect(shapes.cjs).toEqual(expect.arrayContaining(['(root) > GET', 'GET > GET /work/:id']));
  });
});
