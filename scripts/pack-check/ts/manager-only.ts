// Type-checked by scripts/pack-check.mjs with no Node.js types at all
// ("types": [], lib ES2022): the manager and engine entries must not need
// @types/node.
import { ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import { AsyncContextManager } from 'otel-async-context/context';
import { AsyncLocalStorage, AsyncResource, createHook, executionAsyncId } from 'otel-async-context/hooks';

const manager = new AsyncContextManager().enable();
const key = createContextKey('pack-check');
const token = manager.attach(ROOT_CONTEXT.setValue(key, 'x'));
token.dispose();
const als = new AsyncLocalStorage<string>();
const seen: string | undefined = als.run('a', () => als.getStore());
const scope = als.withScope('b');
scope.dispose();
const resource = new AsyncResource('pack-check');
const id: number = resource.asyncId() + executionAsyncId();
createHook({ before(asyncId: number) { void asyncId; } }).enable().disable();
// @ts-expect-error: the engine is 'native' or 'hooks'
new AsyncContextManager({ engine: 1 });

export { seen, id };
