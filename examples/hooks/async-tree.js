// Prints the tree of async resources behind a small program, from inside a
// hook, with console.log: on node:async_hooks that recurses until the stack
// overflows; here the hook is not told about the resources its own printing makes.
// Run: node examples/hooks/async-tree.js
const { createHook, executionAsyncId } = require('otel-async-context/hooks');

const depth = new Map([[1, 0]]);
const hook = createHook({
  init(asyncId, type, triggerAsyncId) {
    const level = (depth.get(triggerAsyncId) ?? 0) + 1;
    depth.set(asyncId, level);
    console.log(`${'  '.repeat(level)}${type}(${asyncId}) triggered by ${triggerAsyncId}, created in ${executionAsyncId()}`);
  },
  destroy(asyncId) {
    depth.delete(asyncId);
  },
  trackPromises: false,
}).enable();

setTimeout(() => {
  setImmediate(() => {
    process.nextTick(() => hook.disable());
  });
}, 1);
