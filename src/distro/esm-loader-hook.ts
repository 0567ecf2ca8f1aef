/**
 * The ES module loader hook of `@opentelemetry/instrumentation` (import-in-the-middle):
 * without it an `import` of an instrumented package (`import express from 'express'`)
 * never reaches the instrumentations, which hook `require`. Registered by the ES module
 * entry `otel-async-context/register` (`node --import`), before the application loads.
 */
import { diag } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { instrumentedModules } from './instrumentations';

interface SyncHooksModule {
  supportsSyncHooks(): boolean;
  register(options: { include: string[] }): void;
}

/**
 * Registers the loader hook, intercepting only the modules that `instrumentations`
 * patch (every other module loads untouched). Where Node runs loader hooks in the
 * application's thread (`module.registerHooks`: 22.22.3+, 24.11.1+, 26) it uses
 * import-in-the-middle's synchronous hooks, elsewhere (Node 20) `module.register`
 * of `@opentelemetry/instrumentation/hook.mjs`, which Node 26 deprecates. A failure is
 * reported once; the application still runs, with `require`-loaded modules instrumented.
 *
 * @returns whether a hook was registered.
 */
export async function registerEsmLoaderHook(instrumentations: readonly Instrumentation[]): Promise<boolean> {
  const include = instrumentedModules(instrumentations);
  if (include.length === 0) return false;
  try {
    // import-in-the-middle as @opentelemetry/instrumentation loads it: one copy, one hook registry.
    const instrumentationEntry = require.resolve('@opentelemetry/instrumentation');
    const fromInstrumentation = createRequire(instrumentationEntry);
    const syncHooksPath = fromInstrumentation.resolve('import-in-the-middle/register-hooks.mjs');
    const syncHooks = (await import(pathToFileURL(syncHooksPath).href)) as SyncHooksModule;
    if (syncHooks.supportsSyncHooks()) {
      syncHooks.register({ include });
    } else {
      const hook = pathToFileURL(require.resolve('@opentelemetry/instrumentation/hook.mjs')).href;
      register(hook, hook, { data: { include } });
    }
    return true;
  } catch (error) {
    diag.error('otel-async-context: the ES module loader hook could not be registered; imported packages are not instrumented', error);
    return false;
  }
}
