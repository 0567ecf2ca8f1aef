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
 * SIGINT and `beforeExit`.
 */
import { start } from './distro/index';

start();
