/**
 * `otel-async-context/register` for `node --import` (built as dist/esm/register.mjs):
 * what src/register.ts does, plus the ES module loader hook of the instrumentations,
 * registered before the application's first `import` (see distro/esm-loader-hook.ts).
 *
 *   node --import otel-async-context/register app.mjs
 *
 * The distribution and the hook are imported only after the check of the
 * distribution's packages (a static import of a missing package would stop the
 * process before any code runs). Node finishes this module, awaits included,
 * before it loads the application.
 */
import { missingRequiredPackages, warnMissingPackages } from './distro/required-packages.js';

const missing = missingRequiredPackages();
if (missing.length > 0) {
  warnMissingPackages(missing);
} else {
  const { start } = await import('./distro/index.js');
  const { registerEsmLoaderHook } = await import('./distro/esm-loader-hook.js');
  const distro = start();
  // Only for a distribution this entry started: a running one (started earlier) or another SDK's keeps its own.
  if (distro.enabled) await registerEsmLoaderHook(distro.instrumentations);
}
