/**
 * The automatic spans of a service: the upstream Node instrumentations chosen
 * by instrumentation-set.ts, loaded one package at a time (only the chosen
 * ones), plus the application's own, registered with the distribution's
 * tracer provider.
 */
import { diag, type TracerProvider } from '@opentelemetry/api';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { builtinModules, createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import type { SelectedInstrumentation } from './instrumentation-set';
import { MYSQL2_INSTRUMENTATION, MYSQL2_POOL_CONTEXT, Mysql2PoolContextInstrumentation } from './mysql2-pool-context';

type InstrumentationClass = new (config: Readonly<Record<string, unknown>>) => Instrumentation;

/**
 * `require` as auto-instrumentations-node sees it: the instrumentation packages
 * are its dependencies, so they are resolved from there (the versions of its
 * 0.81 set, wherever the package manager put them), not from the application.
 */
function requireFromAutoInstrumentations(): NodeJS.Require {
  return createRequire(require.resolve('@opentelemetry/auto-instrumentations-node'));
}

/**
 * Loads and constructs the selected instrumentations, skipping those whose
 * name `replacedBy` holds (the application gave its own). A package that fails
 * to load or construct is reported once and left out, as upstream does.
 */
export function loadInstrumentations(
  selected: readonly SelectedInstrumentation[],
  replacedBy: ReadonlySet<string>,
): Instrumentation[] {
  const wanted = selected.filter((s) => !replacedBy.has(s.packageName));
  if (wanted.length === 0) return [];
  let load: NodeJS.Require;
  try {
    load = requireFromAutoInstrumentations();
  } catch (error) {
    diag.error('otel-async-context: @opentelemetry/auto-instrumentations-node is not installed; no default instrumentation is on', error);
    return [];
  }
  const loaded: Instrumentation[] = [];
  for (const { packageName, className, config } of wanted) {
    try {
      const Class = (load(packageName) as Record<string, InstrumentationClass>)[className];
      loaded.push(new Class(config));
    } catch (error) {
      diag.error(`otel-async-context: instrumentation ${packageName} could not be loaded; it is off`, error);
    }
  }
  return loaded;
}

type WithModuleDefinitions = { getModuleDefinitions?: () => readonly { readonly name: string }[] };

/**
 * The names of the modules `instrumentations` patch (`http`, `pg`, ...), from
 * `InstrumentationBase#getModuleDefinitions()`; an instrumentation without that
 * method contributes none.
 */
export function instrumentedModules(instrumentations: readonly Instrumentation[]): string[] {
  const names = new Set<string>();
  for (const instrumentation of instrumentations) {
    const definitions = (instrumentation as WithModuleDefinitions).getModuleDefinitions?.() ?? [];
    for (const { name } of definitions) names.add(name);
  }
  return [...names];
}

/**
 * `instrumentations`, plus what keeps their spans in the right trace where a
 * library hands callbacks across requests (mysql2's pool queue, see
 * mysql2-pool-context.ts), added when the instrumentation it completes is there.
 */
export function withContextFixes(instrumentations: Instrumentation[]): Instrumentation[] {
  const names = new Set(instrumentations.map((i) => i.instrumentationName));
  if (!names.has(MYSQL2_INSTRUMENTATION) || names.has(MYSQL2_POOL_CONTEXT)) return instrumentations;
  return [...instrumentations, new Mysql2PoolContextInstrumentation()];
}

/**
 * The top-level built-in modules (`http`, `net`, ...) that `instrumentations` patch.
 * Not subpaths: `dns/promises` is `dns.promises`, and the dns instrumentation
 * wraps it through both names if both are required (then fails to unwrap it twice).
 */
function patchedBuiltins(instrumentations: readonly Instrumentation[]): string[] {
  const names = instrumentedModules(instrumentations).map((name) => name.replace(/^node:/, ''));
  return [...new Set(names.filter((name) => !name.includes('/') && builtinModules.includes(name)))];
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
  const builtins = patchedBuiltins(instrumentations);
  if (builtins.length > 0) {
    const requireBuiltin = createRequire(join(process.cwd(), '__otel_async_context__.js'));
    for (const name of builtins) requireBuiltin(name);
    syncBuiltinESMExports();
  }
  return unregister;
}
