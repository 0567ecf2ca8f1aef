// End to end against the real stack (docker-compose.yml): brings the Collector
// and Jaeger up, runs the examples with OTLP export to the Collector, reads the
// traces back from Jaeger's HTTP query API and checks their trees (services,
// parent links across services and into worker threads, span events), then
// tears the stack down.
//
//   npm run e2e            (needs Docker with the compose plugin)
//
// Without Docker it says so and exits with status 2. `npm test` runs the same
// examples and assertions against a local OTLP receiver, without Docker.
//
// Against a stack that is already running (CI service containers, a remote
// Collector): E2E_EXTERNAL_STACK=1 with E2E_OTLP_ENDPOINT (default
// http://127.0.0.1:4318) and E2E_JAEGER_URL (default http://127.0.0.1:16686);
// Docker is then neither needed nor touched. E2E_SKIP_BUILD=1 reuses dist/.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const JAEGER = process.env.E2E_JAEGER_URL ?? 'http://127.0.0.1:16686';
const OTLP = process.env.E2E_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318';
const external = process.env.E2E_EXTERNAL_STACK === '1';

function dockerMissing() {
  for (const args of [['version', '--format', '{{.Server.Version}}'], ['compose', 'version']]) {
    const r = spawnSync('docker', args, { encoding: 'utf8' });
    const what = args[0] === 'compose' ? 'docker compose version' : 'docker version';
    if (r.error || r.status !== 0) return `\`${what}\` failed: ${(r.error?.message ?? r.stderr ?? '').trim()}`;
  }
  return undefined;
}

const missing = external ? undefined : dockerMissing();
if (missing) {
  console.error(
    'npm run e2e needs Docker with the compose plugin (it starts the Collector and Jaeger), and none is usable here:\n' +
      `  ${missing}\n` +
      'The same examples and trace assertions run without Docker in `npm test` (test/e2e, against a local OTLP receiver).',
  );
  process.exit(2);
}

const compose = (...args) => execFileSync('docker', ['compose', ...args], { cwd: root, stdio: 'inherit' });

function run(label, args, env = {}) {
  console.log(`\n# ${label}`);
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: OTLP, ...env },
  });
  if (r.status !== 0) throw new Error(`${label} exited with ${r.status ?? r.signal}`);
}

/** Jaeger's /api/traces answer, as spans with service, parent, kind and event names. */
async function traces(service) {
  const url = `${JAEGER}/api/traces?service=${encodeURIComponent(service)}&limit=50&lookback=1h`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const { data } = await response.json();
  return data.map((trace) =>
    trace.spans.map((span) => {
      const tags = Object.fromEntries(span.tags.map((t) => [t.key, t.value]));
      return {
        traceId: span.traceID,
        spanId: span.spanID,
        parentSpanId: span.references.find((r) => r.refType === 'CHILD_OF')?.spanID,
        service: trace.processes[span.processID].serviceName,
        name: span.operationName,
        kind: tags['span.kind'] ?? 'internal',
        path: String(tags['url.path'] ?? tags['url.full'] ?? ''),
        tags,
        events: span.logs.map((log) => log.fields.find((f) => f.key === 'event')?.value),
      };
    }),
  );
}

/** Polls until `find(traces)` returns something (Jaeger stores asynchronously). */
async function eventually(service, find) {
  let last;
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      const found = find(await traces(service));
      if (found) return found;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no matching trace of ${service} in Jaeger${last ? ` (${last.message})` : ''}`);
}

function check(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
  console.log(`  ok - ${message}`);
}

async function assertHttpServices() {
  const spans = await eventually('frontend', (all) =>
    all.find((t) => t.some((s) => s.service === 'inventory') && t.some((s) => s.path === '/prices/42')),
  );
  const one = (test, what) => {
    const found = spans.filter(test);
    check(found.length === 1, `one ${what}`);
    return found[0];
  };
  const checkout = one((s) => s.service === 'frontend' && s.kind === 'server' && s.path === '/checkout/42', 'frontend server span /checkout/42');
  const stockClient = one((s) => s.service === 'frontend' && s.kind === 'client' && s.path.includes('/stock/42'), 'frontend client span to /stock/42');
  const stock = one((s) => s.service === 'inventory' && s.kind === 'server' && s.path === '/stock/42', 'inventory server span /stock/42');
  const pricesClient = one((s) => s.service === 'inventory' && s.kind === 'client' && s.path.includes('/prices/42'), 'inventory client span to /prices/42');
  const prices = one((s) => s.service === 'frontend' && s.kind === 'server' && s.path === '/prices/42', 'frontend server span /prices/42');
  check(checkout.parentSpanId === undefined, 'the checkout is the root');
  check(stockClient.parentSpanId === checkout.spanId, 'frontend client span is a child of the checkout');
  check(stock.parentSpanId === stockClient.spanId, 'inventory server span is a child of the frontend client span (across services)');
  check(pricesClient.parentSpanId === stock.spanId, 'inventory client span is a child of its server span');
  check(prices.parentSpanId === pricesClient.spanId, 'frontend /prices is a child of the inventory client span (across services, back)');
  check(checkout.events.includes('async.init') && stock.events.includes('async.init'), 'lifecycle events on both server spans');
  check(typeof stock.tags['async.resources.created'] === 'number', 'lifecycle summary on the inventory server span');
}

async function assertWorkerPool() {
  const spans = await eventually('worker-pool', (all) =>
    all.find((t) => t.some((s) => s.name === 'sum batch') && t.filter((s) => s.name === 'task_processor add').length === 10),
  );
  const batch = spans.find((s) => s.name === 'sum batch');
  const tasks = spans.filter((s) => s.name === 'task_processor add');
  check(tasks.every((t) => t.parentSpanId === batch.spanId), 'the 10 worker spans are children of the batch span');
  check(new Set(tasks.map((t) => t.tags['worker.thread_id'])).size === 2, 'they ran in 2 worker threads');
}

async function assertRequestLogger() {
  const all = await eventually('request-logger', (found) => (found.filter((t) => t.some((s) => s.kind === 'server')).length >= 2 ? found : undefined));
  check(all.every((t) => new Set(t.map((s) => s.traceId)).size === 1), 'request-logger: each request is one trace');
}

let failed = false;
try {
  if (process.env.E2E_SKIP_BUILD !== '1') execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (!external) compose('up', '-d', '--wait');
  run('examples/http-services', ['examples/http-services/run.js'], { OTEL_ASYNC_CONTEXT_LIFECYCLE: 'true' });
  run('examples/worker-pool', ['--require', 'otel-async-context/register', 'examples/worker-pool/main.js'], { OTEL_SERVICE_NAME: 'worker-pool' });
  run('examples/request-logger', ['--require', 'otel-async-context/register', 'examples/request-logger/server.js'], { OTEL_SERVICE_NAME: 'request-logger' });
  console.log('\n# Jaeger');
  await assertHttpServices();
  await assertWorkerPool();
  await assertRequestLogger();
  console.log('\ne2e: all assertions passed');
} catch (error) {
  failed = true;
  console.error(`\ne2e failed: ${error.message}`);
  if (!external) spawnSync('docker', ['compose', 'logs', '--tail', '50'], { cwd: root, stdio: 'inherit' });
} finally {
  if (external) console.log('E2E_EXTERNAL_STACK: the stack was not started here and is left as it is');
  else if (process.env.E2E_KEEP_STACK) console.log('E2E_KEEP_STACK set: the stack is left running (docker compose down to stop it)');
  else compose('down', '-v');
}
process.exit(failed ? 1 : 0);
