/**
 * examples/worker-pool and examples/request-logger, and an ES module app, run
 * through `otel-async-context/register` against a real OTLP/HTTP receiver().
 */
import { SPAN_KIND } from './otlp-receiver';
import { runNode, useOtlpReceiver } from './helpers';

const receiver = useOtlpReceiver();

const otlp = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver().endpoint });

it('worker-pool: each task continues the submitter\'s trace inside a worker thread', async () => {
  const run = await runNode(['--require', 'otel-async-context/register', 'examples/worker-pool/main.js'], {
    ...otlp(),
    OTEL_SERVICE_NAME: 'worker-pool',
  });
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  // Each callback ran in the caller's context (the WorkerPoolTaskInfo's scope).
  expect(run.stdout.match(/142 \(in the batch span\)/g)).toHaveLength(10);

  const spans = await receiver().waitFor((s) => s.filter((x) => x.name === 'task_processor add').length === 10 && s.some((x) => x.name === 'sum batch'));
  const batch = spans.find((s) => s.name === 'sum batch')!;
  const tasks = spans.filter((s) => s.name === 'task_processor add');
  for (const task of tasks) {
    expect([task.traceId, task.parentSpanId, task.service]).toEqual([batch.traceId, batch.spanId, 'worker-pool']);
    expect(task.attributes['task.result']).toBe(142);
  }
  // Two workers, each with its own SDK (started by the inherited --require).
  expect(new Set(tasks.map((t) => t.attributes['worker.thread_id'])).size).toBe(2);
});

it('request-logger: every log line carries the trace id of its request', async () => {
  const run = await runNode(['--require', 'otel-async-context/register', 'examples/request-logger/server.js'], {
    ...otlp(),
    OTEL_SERVICE_NAME: 'request-logger',
  });
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const lines = run.stdout.trim().split('\n').map((l) => /^(\d) trace=([0-9a-f]{32}): (start|finish)$/.exec(l));
  expect(lines.every(Boolean)).toBe(true);
  const traceOf = new Map<string, string>();
  for (const [, id, traceId] of lines as RegExpExecArray[]) {
    expect(traceOf.get(id!) ?? traceId).toBe(traceId); // start and finish of one request: one trace
    traceOf.set(id!, traceId!);
  }
  expect(traceOf.size).toBe(2);
  const spans = await receiver().waitFor((s) => s.filter((x) => x.kind === SPAN_KIND.SERVER).length === 2);
  const serverTraces = spans.filter((s) => s.kind === SPAN_KIND.SERVER).map((s) => s.traceId).sort();
  expect(serverTraces).toEqual([...traceOf.values()].sort());
});

it('an ES module app through node --import: server and fetch client spans in one trace', async () => {
  const run = await runNode(['--import', 'otel-async-context/register', 'test/e2e/fixtures/esm-app.mjs'], {
    ...otlp(),
    OTEL_SERVICE_NAME: 'esm-app',
  });
  expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: 'status 200\n', stderr: '' });
  const isFetch = (s: { kind: number; name: string }) => s.kind === SPAN_KIND.CLIENT && s.name === 'GET';
  const spans = await receiver().waitFor((s) => s.some((x) => x.kind === SPAN_KIND.SERVER) && s.some(isFetch));
  const server = spans.find((s) => s.kind === SPAN_KIND.SERVER)!;
  const client = spans.find(isFetch)!;
  expect(server.attributes['url.path']).toBe('/esm');
  expect([server.traceId, server.parentSpanId, server.service]).toEqual([client.traceId, client.spanId, 'esm-app']);
});

it('the demo default: with no collector configured, each service prints its part of the trace as a tree', async () => {
  const run = await runNode(['examples/http-services/run.js'], { OTEL_ASYNC_CONTEXT_LIFECYCLE: 'true' });
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const headings = [...run.stdout.matchAll(/\[(\w+)\] ── trace ([0-9a-f]{32})  service (\w+)(, continues remote parent ([0-9a-f]{16}))?/g)];
  expect(new Set(headings.map((h) => h[2])).size).toBe(1); // one trace
  expect(new Set(headings.map((h) => h[3]))).toEqual(new Set(['frontend', 'inventory']));
  expect(run.stdout).toMatch(/\[frontend\] GET \/checkout\/42 → 200  \[SERVER\]/);
  expect(run.stdout).toMatch(/\[frontend\] └─ GET \S*\/stock\/42 → 200  \[CLIENT\]/);
  expect(run.stdout).toMatch(/\[inventory\] GET \/stock\/42 → 200  \[SERVER\]/);
  expect(run.stdout).toMatch(/· async\.init \+[\d.]+ ms/);
  // The inventory tree continues the frontend's client span.
  const clientSpan = /\[frontend\] └─ GET \S*\/stock\/42 → 200  \[CLIENT\]  \S+ \S+  span ([0-9a-f]{16})/.exec(run.stdout)?.[1];
  expect(headings.find((h) => h[3] === 'inventory')?.[5]).toBe(clientSpan);
});
