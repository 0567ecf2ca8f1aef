// Type-checked by scripts/pack-check.mjs against the packed tarball, as
// app.ts (module commonjs: TypeScript 7's default resolution, and TypeScript 5's
// node10, which reads typesVersions) and as app.mts (module nodenext, ESM).
// Every entry point of the package; @ts-expect-error lines prove that the
// types are real (an unresolved module would type everything as any).
import { ROOT_CONTEXT, context, createContextKey, trace } from '@opentelemetry/api';
import { AsyncContextManager, type AsyncContextManagerOptions, type ContextToken } from 'otel-async-context/context';
import {
  AsyncLocalStorage,
  AsyncResource,
  createHook,
  executionAsyncId,
  executionAsyncResource,
  triggerAsyncId,
  type AsyncHook,
} from 'otel-async-context/hooks';
import * as distro from 'otel-async-context';
import * as register from 'otel-async-context/register';

const options: AsyncContextManagerOptions = { engine: 'hooks' };
const manager: AsyncContextManager = new AsyncContextManager(options).enable();
context.setGlobalContextManager(manager);
const key = createContextKey('pack-check');
const token: ContextToken = manager.attach(ROOT_CONTEXT.setValue(key, 1));
token.dispose();
const doubled: number = manager.with(ROOT_CONTEXT, (n: number) => n * 2, undefined, 21);
// @ts-expect-error: the engine is 'native' or 'hooks'
new AsyncContextManager({ engine: 'fast' });

const als = new AsyncLocalStorage<number>({ engine: 'native', defaultValue: 0 });
const store: number | undefined = als.run(1, () => als.getStore());
// @ts-expect-error: the store is a number
als.run('one', () => undefined);
const hook: AsyncHook = createHook({ init(asyncId: number, type: string, triggerId: number) { void [asyncId, type, triggerId]; } });
hook.enable().disable();
const resource = new AsyncResource('pack-check', { requireManualDestroy: true });
const ids: number[] = [executionAsyncId(), triggerAsyncId(), resource.asyncId(), resource.triggerAsyncId()];
const value: string = resource.runInAsyncScope((s: string) => s, undefined, 'x');
const current: object = executionAsyncResource();

const startOptions: distro.StartOptions = { serviceName: 'pack-check', exporters: ['console'], otlp: { protocol: 'grpc' } };
const started: distro.Distro = distro.start(startOptions);
const processor = new distro.LifecycleSpanProcessor({ eventBudget: 10 });
const same: typeof AsyncContextManager = distro.AsyncContextManager;
trace.getTracer('pack-check');

export { doubled, store, ids, value, current, started, processor, same, register };
