// One scenario of `npm run bench -- --callgrind`: N synchronous
// `context.with(ctx, fn, thisArg, ...args)` calls on one ContextManager.
//   node --single-threaded bench/callgrind/context-with.cjs <manager> <args> <N>
// manager: ours | otel (AsyncLocalStorageContextManager); args: none | one.
// The instructions of one call are the difference between two run sizes.
const { ROOT_CONTEXT, createContextKey } = require('@opentelemetry/api');

const [managerName, argsName, countText] = process.argv.slice(2);
const count = Number(countText);
const manager = managerName === 'ours'
  ? new (require('../../dist/cjs/index.js').AsyncContextManager)()
  : new (require('@opentelemetry/context-async-hooks').AsyncLocalStorageContextManager)();
manager.enable();
const ctx = ROOT_CONTEXT.setValue(createContextKey('bench'), 1);
let sink = 0;
function noArgs() { sink++; }
function oneArg(x) { sink += x; }
if (argsName === 'none') {
  for (let i = 0; i < count; i++) manager.with(ctx, noArgs);
} else {
  for (let i = 0; i < count; i++) manager.with(ctx, oneArg, undefined, 1);
}
if (sink !== count) throw new Error(`ran ${sink} of ${count}`);
