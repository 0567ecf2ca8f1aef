// Installs the OpenTelemetry 3.x line (@opentelemetry/api 1.10 and
// @opentelemetry/sdk-trace 3.1) into the ignored folder .otel3/, outside the
// project's own dependencies (whose sdk-trace-base 2.x peers would conflict).
// test/context/otel3.test.ts loads AsyncContextManager against these packages
// in a child process; it is skipped when .otel3/ is absent.
//   node scripts/otel3-fixture.mjs          install when missing (idempotent)
//   node scripts/otel3-fixture.mjs --force  reinstall
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const prefix = join(root, '.otel3');
const packages = ['@opentelemetry/api@1.10', '@opentelemetry/sdk-trace@3.1'];
const ready = ['api', 'sdk-trace'].every((name) => existsSync(join(prefix, 'node_modules', '@opentelemetry', name, 'package.json')));

if (ready && !process.argv.includes('--force')) {
  console.log(`.otel3/ already holds ${packages.join(' and ')}`);
} else {
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  // A package.json of its own, so that npm does not walk up to the project's.
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'otel3-fixture', private: true }, null, 2) + '\n');
  execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', ...packages], {
    cwd: prefix,
    stdio: 'inherit',
  });
  console.log(`installed ${packages.join(' and ')} into .otel3/`);
}
