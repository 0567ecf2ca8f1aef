// Builds dist/ once before the suite: several tests run scripts in child
// processes against the built package (as users load it), comparing its output
// with node:async_hooks'. Set OTEL_ASYNC_CONTEXT_SKIP_BUILD=1 to reuse dist/.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  const root = join(__dirname, '..');
  if (process.env.OTEL_ASYNC_CONTEXT_SKIP_BUILD === '1' && existsSync(join(root, 'dist/cjs/index.js'))) return;
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--no-types'], { cwd: root, stdio: 'inherit' });
};
