/**
 * `otel-async-context/register` for `node --import` (built as dist/esm/register.mjs):
 * what src/register.ts does, plus the ES module loader hook of the instrumentations,
 * registered before the application's first `import` (see distro/esm-loader-hook.ts).
 *
 *   node --import otel-async-context/register app.mjs
 */
import { start } from './distro/index.js';
import { registerEsmLoaderHook } from './distro/esm-loader-hook.js';

const distro = start();
// Only for a distribution this entry started: a running one (started earlier) or another SDK's keeps its own.
if (distro.enabled) await registerEsmLoaderHook(distro.instrumentations);
