// An ES module app, run by scripts/pack-check.mjs against the packed tarball:
// the same entries through `import` (the package's ESM build).
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import { AsyncContextManager } from 'otel-async-context/context';
import { AsyncLocalStorage, createHook } from 'otel-async-context/hooks';
import * as root from 'otel-async-context';

assert.equal(root.AsyncContextManager, AsyncContextManager, 'one AsyncContextManager class across entries');
assert.equal(root.AsyncLocalStorage, AsyncLocalStorage, 'one engine across entries');
assert.equal(typeof root.start, 'function');
assert.equal(typeof root.LifecycleSpanProcessor, 'function');

const manager = new AsyncContextManager({ engine: 'native' }).enable();
const key = createContextKey('pack-check');
const seen = await manager.with(ROOT_CONTEXT.setValue(key, 'esm'), async () => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return manager.active().getValue(key);
});
assert.equal(seen, 'esm', 'the context crosses a timer and an await');
manager.disable();

const als = new AsyncLocalStorage();
const inside = await als.run('store', () => new Promise((resolve) => setImmediate(() => resolve(als.getStore()))));
assert.equal(inside, 'store');
const types = [];
const hook = createHook({ init(id, type) { types.push(type); } }).enable();
await new Promise((resolve) => setTimeout(resolve, 1));
hook.disable();
assert.ok(types.includes('Timeout'), `createHook saw the timer (saw ${types.join(', ')})`);
console.log('esm app: manager and hooks ok');
