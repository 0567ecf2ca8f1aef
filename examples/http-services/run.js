// Runs the frontend and inventory services, each through
// `node --require otel-async-context/register`, sends checkouts to the frontend,
// then stops both with SIGTERM (their spans are flushed on the way out).
//
//   node examples/http-services/run.js [--requests N]
//
// Tracing comes from the environment: with no OTLP endpoint configured each
// service prints its part of the trace as a tree on its stderr (its stdout
// stays its own), which this runner shows, prefixed, with the rest; with
// OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 the spans go to the stack.
'use strict';
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');

const root = path.resolve(__dirname, '..', '..');
const argIndex = process.argv.indexOf('--requests');
const requests = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 1;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** Starts one service; resolves with the child once it prints its "listening" line. */
function startService(name, env) {
  const child = spawn(process.execPath, ['--require', 'otel-async-context/register', path.join(__dirname, `${name}.js`)], {
    cwd: root,
    env: {
      ...process.env,
      OTEL_SERVICE_NAME: name,
      OTEL_ASYNC_CONTEXT_LIFECYCLE: process.env.OTEL_ASYNC_CONTEXT_LIFECYCLE ?? 'true',
      // Every upstream instrumentation is on by default; the demo leaves out the connection-level
      // ones (a dns.lookup trace per listen(), a tcp.connect span per connection) to keep the trees about requests.
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: process.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS ?? 'dns,net',
      // The demo shows every lifecycle event; a service would keep the default mode (events only
      // on slow or failed spans, the summary on all).
      OTEL_ASYNC_CONTEXT_LIFECYCLE_MODE: process.env.OTEL_ASYNC_CONTEXT_LIFECYCLE_MODE ?? 'full',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        console.log(`[${name}] ${line}`);
        if (/listening on/.test(line)) resolve({ child, exited });
      });
    }
    exited.then(({ code, signal }) => reject(new Error(`${name} exited early (code ${code}, signal ${signal})`)));
  });
}

async function main() {
  const [frontendPort, inventoryPort] = [await freePort(), await freePort()];
  const frontendUrl = `http://127.0.0.1:${frontendPort}`;
  const inventoryUrl = `http://127.0.0.1:${inventoryPort}`;
  const common = { FRONTEND_PORT: String(frontendPort), INVENTORY_PORT: String(inventoryPort), FRONTEND_URL: frontendUrl, INVENTORY_URL: inventoryUrl };
  const services = await Promise.all([startService('inventory', common), startService('frontend', common)]);

  let failed = false;
  for (let i = 0; i < requests; i++) {
    const item = i % 2 === 0 ? '42' : '7';
    const response = await fetch(`${frontendUrl}/checkout/${item}`);
    const body = await response.text();
    console.log(`checkout ${item}: ${response.status} ${body}`);
    if (response.status !== 200) failed = true;
  }

  for (const { child } of services) child.kill('SIGTERM');
  for (const [i, { exited }] of services.entries()) {
    const { code, signal } = await exited;
    const name = i === 0 ? 'inventory' : 'frontend';
    console.log(`${name} stopped (${signal ?? `exit code ${code}`})`);
    if (signal !== 'SIGTERM' && code !== 0) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
