/**
 * Start once per process. `start()` asks two questions before it sets anything
 * up: did this distribution start already (through `register` or an earlier
 * call), and did another OpenTelemetry SDK take the API's globals first?
 *
 * The answer to the first lives on `globalThis` under a `Symbol.for` key, not in
 * a module variable: `--import otel-async-context/register` runs the ES module
 * build and the application's `require('otel-async-context')` the CommonJS
 * build (two copies of every module), and an application may hold two versions
 * of the package; all of them must see one "started" state. The answer to the
 * second is the registry that every copy of `@opentelemetry/api` 1.x shares.
 */
import type { Distro } from './start';

const RUNNING = Symbol.for('otel-async-context.distro.running');
/** Where every copy of @opentelemetry/api 1.x keeps its global registrations. */
const API_REGISTRY = Symbol.for('opentelemetry.js.api.1');

type Slot = { [RUNNING]?: Distro };

/** The distribution started in this process and not shut down yet, if any. */
export function runningDistro(): Distro | undefined {
  return (globalThis as Slot)[RUNNING];
}

/** Records `distro` as the one running in this process. */
export function markRunning(distro: Distro): void {
  (globalThis as Slot)[RUNNING] = distro;
}

/** Forgets `distro` (at its shutdown), so that a later `start()` starts anew. */
export function markStopped(distro: Distro): void {
  if ((globalThis as Slot)[RUNNING] === distro) delete (globalThis as Slot)[RUNNING];
}

/** The API globals, by the names the diagnostics use. */
export const GLOBALS = { trace: 'tracer provider', context: 'context manager', propagation: 'propagator' } as const;
export type GlobalName = keyof typeof GLOBALS;

/**
 * Which of the tracer provider, context manager and propagator someone has
 * registered already (the API's `set*` would refuse ours and log a stack per
 * refusal).
 */
export function takenGlobals(): GlobalName[] {
  const registry = (globalThis as Record<symbol, Partial<Record<string, unknown>> | undefined>)[API_REGISTRY];
  if (registry === undefined) return [];
  return (Object.keys(GLOBALS) as GlobalName[]).filter((name) => registry[name] !== undefined);
}

/** Whether a global diag logger is installed (someone else's or ours). */
export function hasDiagLogger(): boolean {
  const registry = (globalThis as Record<symbol, Partial<Record<string, unknown>> | undefined>)[API_REGISTRY];
  return registry?.diag !== undefined;
}

/** The message of a `start()` that found the distribution running. */
export function alreadyStartedMessage(givenOptions: readonly string[]): string {
  const ignored = givenOptions.length > 0 ? `; the options of this call (${givenOptions.join(', ')}) are ignored` : '';
  return (
    'otel-async-context: start() was called but tracing is already started in this process ' +
    `(by otel-async-context/register or an earlier start()); it returns the running handle${ignored}`
  );
}

/** The message of a `start()` that found another SDK's tracer provider. */
export function foreignSdkMessage(taken: readonly GlobalName[]): string {
  return (
    `otel-async-context: another OpenTelemetry SDK registered the global ${taken.map((n) => GLOBALS[n]).join(', ')} first; ` +
    'start() set up nothing (no provider, instrumentation or exit handler) and the application keeps that SDK. ' +
    'Start only one of them.'
  );
}
