/**
 * The automatic spans of a service: HTTP server and client (`node:http`,
 * `node:https`) and `fetch`/undici, through the official instrumentations.
 */
import type { TracerProvider } from '@opentelemetry/api';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';

/** The instrumentations `start()` registers when given none. */
export function defaultInstrumentations(): Instrumentation[] {
  return [new HttpInstrumentation(), new UndiciInstrumentation()];
}

/**
 * Registers `instrumentations` with `tracerProvider`, then makes sure the
 * built-in modules they patch are patched now: the patch is applied when the
 * module is next `require`d, which an ES module app never does (it `import`s),
 * so they are required here and the ES module bindings of the built-ins are
 * synchronised with the patched objects. Returns the function that undoes it.
 */
export function enableInstrumentations(
  instrumentations: readonly Instrumentation[],
  tracerProvider: TracerProvider,
): () => void {
  if (instrumentations.length === 0) return () => {};
  const unregister = registerInstrumentations({ instrumentations: [...instrumentations], tracerProvider });
  const requireBuiltin = createRequire(join(process.cwd(), '__otel_async_context__.js'));
  for (const name of ['http', 'https']) requireBuiltin(name);
  syncBuiltinESMExports();
  return unregister;
}
