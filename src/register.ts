/**
 * `otel-async-context/register`: starts tracing from the environment before the
 * application loads, with no code change:
 *
 *   node --require otel-async-context/register app.js
 *   node --import otel-async-context/register app.mjs
 *
 * Equivalent to calling `start()` with no options first thing; every setting
 * comes from the OTEL_* variables (docs/configuration.md). The handle stays
 * with the exit handlers that `start()` installs, which flush on SIGTERM,
 * SIGINT and `beforeExit`. This is the CommonJS entry (`--require`): a CommonJS
 * application needs no loader hook. The ES module entry is register-esm.mts.
 * When the distribution's packages (its dependencies) cannot be resolved: one
 * warning and no tracing; the distribution is required only after that check.
 */
import { diag } from '@opentelemetry/api';
import { missingRequiredPackages, warnMissingPackages } from './distro/required-packages';

const missing = missingRequiredPackages();
if (missing.length > 0) {
  warnMissingPackages(missing);
} else {
  const { start } = require('./distro/index') as typeof import('./distro/index');
  const distro = start();
  if (distro.enabled && process.argv[1]?.endsWith('.mjs')) {
    diag.warn(
      'otel-async-context: an ES module application was started with --require otel-async-context/register; ' +
        'start it with --import otel-async-context/register so that the packages it imports are instrumented',
    );
  }
}
