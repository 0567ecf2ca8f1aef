// A CommonJS app, run by scripts/pack-check.mjs against the packed tarball
// installed from the registry: the manager entry (and what it loads), the
// engine, and the distribution exporting over OTLP to a receiver of its own.
'use strict';
const assert = require('node:assert/strict');
const http = require('node:http');
const { ROOT_CONTEXT, createContextKey, trace } = require('@opentelemetry/api');

const before = new Set(Object.keys(require.cache));
const { AsyncContextManager } = require('otel-async-context/context');
const loaded = Object.keys(require.cache).filter((path) => !before.has(path));
const beyondApi = loaded.filter((path) => /node_modules[\\/](?!otel-async-context[\\/]|@opentelemetry[\\/]api[\\/])/.test(path));
assert.deepEqual(beyondApi, [], 'otel-async-context/context loads only the package and @opentelemetry/api');

const { AsyncLocalStorage, createHook, executionAsyncId } = require('otel-async-context/hooks');

async function main() {
  const manager = new AsyncContextManager().enable();
  const key = createContextKey('pack-check');
  const seen = await manager.with(ROOT_CONTEXT.setValue(key, 'cjs'), async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return manager.active().getValue(key);
  });
  assert.equal(seen, 'cjs', 'the context crosses a timer and an await');
  manager.disable();

  const als = new AsyncLocalStorage({ engine: 'hooks' });
  const inside = await als.run(7, () => new Promise((resolve) => setImmediate(() => resolve(als.getStore()))));
  assert.equal(inside, 7, 'the hooks engine carries the store into setImmediate');
  const types = [];
  const hook = createHook({ init(id, type) { types.push(type); } }).enable();
  await new Promise((resolve) => setTimeout(resolve, 1));
  hook.disable();
  assert.ok(types.includes('Timeout'), `createHook saw the timer (saw ${types.join(', ')})`);
  assert.equal(typeof executionAsyncId(), 'number');

  // The distribution: start() exports a span over OTLP/HTTP (protobuf) to a receiver here.
  const requests = [];
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const root = require('otel-async-context');
  assert.equal(root.AsyncContextManager, AsyncContextManager, 'one AsyncContextManager class across entries');
  assert.equal(root.AsyncLocalStorage, AsyncLocalStorage, 'one engine (one copy of its state) across entries');
  const { start } = root;
  const { shutdown } = start({
    serviceName: 'pack-check-cjs',
    exporters: ['otlp'],
    otlp: { endpoint: `http://127.0.0.1:${receiver.address().port}/v1/traces` },
  });
  trace.getTracer('pack-check').startActiveSpan('work', (span) => span.end());
  await shutdown();
  receiver.close();
  assert.deepEqual(requests, ['POST /v1/traces application/x-protobuf'], 'one OTLP export reached the receiver');
  console.log('cjs app: manager, hooks and distribution ok');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
