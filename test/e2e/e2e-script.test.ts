/**
 * scripts/e2e.mjs itself, without Docker: in E2E_EXTERNAL_STACK mode it runs the
 * examples against the OTLP receiver and reads the traces back from a fake of
 * Jaeger's query API fed by that receiver, so its queries, its parsing of
 * Jaeger's JSON and its assertions on the trace trees are exercised. And
 * without Docker in its default mode, it says so and exits with status 2.
 */
import { ensureBuilt, runNode } from './helpers';
import { startFakeJaeger } from './fake-jaeger';
import { OtlpReceiver } from './otlp-receiver';

beforeAll(() => ensureBuilt());

it('runs the examples and asserts their trace trees through the Jaeger query API', async () => {
  const receiver = await OtlpReceiver.start();
  const jaeger = await startFakeJaeger(receiver.spans);
  try {
    const run = await runNode(['scripts/e2e.mjs'], {
      E2E_EXTERNAL_STACK: '1',
      E2E_SKIP_BUILD: '1',
      E2E_OTLP_ENDPOINT: receiver.endpoint,
      E2E_JAEGER_URL: jaeger.url,
    }, 120_000);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/ok - inventory server span is a child of the frontend client span \(across services\)/);
    expect(run.stdout).toMatch(/ok - the 10 worker spans are children of the batch span/);
    expect(run.stdout).toMatch(/e2e: all assertions passed/);
  } finally {
    jaeger.server.close();
    await receiver.close();
  }
  // The child's own deadline: a dozen processes and worker threads, each loading the instrumentation set.
}, 120_000);

it('without a usable Docker, says so and exits with status 2', async () => {
  // An empty PATH: no docker binary at all.
  const run = await runNode(['scripts/e2e.mjs'], { PATH: '' });
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/npm run e2e needs Docker with the compose plugin/);
  expect(run.stderr).toMatch(/npm test/);
});
