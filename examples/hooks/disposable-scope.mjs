// AsyncLocalStorage.withScope(): enter a store for the rest of a block, on every
// Node line from 20 on (Node itself has it from 24.x). `using` needs a runtime
// or compiler that supports explicit resource management; dispose() works anywhere.
// Run: node examples/hooks/disposable-scope.mjs
import { AsyncLocalStorage } from 'otel-async-context/hooks';

const user = new AsyncLocalStorage({ defaultValue: 'anonymous' });

function handle(name) {
  const scope = user.withScope(name);
  try {
    return `hello ${user.getStore()}`;
  } finally {
    scope.dispose();
  }
}

console.log(handle('ada'));
console.log(`after the scope: ${user.getStore()}`);
