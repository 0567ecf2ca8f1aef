/**
 * The packages the distribution cannot start without. They are dependencies of
 * otel-async-context (README, Install), so a normal install has them; an install
 * that lost them (a pruned or hand-copied node_modules, a bundle that left them
 * out) makes `register` warn once and leave the app untraced instead of stopping
 * it with "Cannot find module".
 * The OTLP exporters are not listed: each loads only for its protocol, guarded
 * (exporters.ts).
 */
export const REQUIRED_PACKAGES: readonly string[] = [
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/resources',
  '@opentelemetry/core',
  '@opentelemetry/semantic-conventions',
  '@opentelemetry/instrumentation',
  '@opentelemetry/auto-instrumentations-node',
];

/**
 * The required packages that do not resolve from this package's location.
 * `require` is Node's in the CommonJS build and `createRequire(import.meta.url)`
 * in the ES module build (scripts/build.mjs).
 */
export function missingRequiredPackages(): string[] {
  return REQUIRED_PACKAGES.filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

/** One process warning (stderr, never stdout) naming what is missing and how to install it. */
export function warnMissingPackages(missing: readonly string[]): void {
  process.emitWarning(
    `otel-async-context/register: tracing is off: the distribution needs ${missing.join(', ')}, ` +
      'which are not installed (they are dependencies of otel-async-context: reinstall it with npm install otel-async-context)',
    { code: 'OTEL_ASYNC_CONTEXT_MISSING_PACKAGES' },
  );
}
