/**
 * Start once, across the two builds: `--import otel-async-context/register` runs
 * the ES module build, the app's `require('otel-async-context')` the CommonJS
 * build; the app's own start() must find the running distribution (one warning),
 * register nothing twice, and leave the traces whole (one server span under one
 * client span, no duplicate). And an ES module app on the CommonJS entry is told so.
 */
import { runNode, useOtlpReceiver } from './helpers';
import { SPAN_KIND } from './otlp-receiver';

const receiver = useOtlpReceiver();

it.each(['--import', '--require'])('register through %s, then start() in the code: one distribution, one warning, whole traces', async (flag) => {
  const run = await runNode(
    [flag, 'otel-async-context/register', 'test/e2e/fixtures/start-in-code-too.cjs'],
    { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().endpoint, OTEL_SERVICE_NAME: 'registered', OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,undici' },
  );
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: 'status 200 enabled true\n' });
  const lines = run.stderr.trim().split('\n');
  expect(lines).toEqual([
    expect.stringMatching(/^otel-async-context: start\(\) was called but tracing is already started.*\(serviceName, exporters\) are ignored$/),
  ]);
  const spans = await receiver().waitFor((s) => s.length >= 2);
  expect(spans.map((s) => [s.service, s.kind, s.name]).sort()).toEqual([
    ['registered', SPAN_KIND.SERVER, 'GET'],
    ['registered', SPAN_KIND.CLIENT, 'GET'],
  ].sort());
  const server = spans.find((s) => s.kind === SPAN_KIND.SERVER)!;
  const client = spans.find((s) => s.kind === SPAN_KIND.CLIENT)!;
  expect([server.traceId, server.parentSpanId]).toEqual([client.traceId, client.spanId]);
});

it('an .mjs app started with --require is told, once, to use --import', async () => {
  const run = await runNode(['--require', 'otel-async-context/register', 'test/e2e/fixtures/esm-app.mjs'], {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver().endpoint,
  });
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: 'status 200\n' });
  expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--require otel-async-context\/register; start it with --import/)]);
});
