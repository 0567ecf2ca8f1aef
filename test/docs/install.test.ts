/**
 * The README's Install section and package.json agree: one command installs
 * the package, every package the distribution loads is a dependency (not
 * something the user must add), and `@opentelemetry/api` is the one peer.
 * (scripts/pack-check.mjs installs the packed tarball that way in CI and
 * checks what npm prints next to api 1.9 and 1.10.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REQUIRED_PACKAGES } from '../../src/distro/required-packages';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('<!-- section:install -->'), readme.indexOf('<!-- /section:install -->'));
const command = ([...section.matchAll(/```sh\n([\s\S]*?)```/g)][0]?.[1] ?? '').trim();

/** Every bare `@opentelemetry/*` package that src/distro loads (static imports and lazy requires). */
function packagesLoadedByTheDistribution(): string[] {
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  const dir = join(ROOT, 'src', 'distro');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const [, name] of source.matchAll(/(?:from |require\(|import\()\s*'(@opentelemetry\/[a-z0-9-]+)(?:\/[^']*)?'/g)) names.add(name);
  }
  return [...names].sort();
}

test('the install command is `npm install otel-async-context`', () => {
  expect(command).toBe('npm install otel-async-context');
});

test('@opentelemetry/api is the one peer dependency, any 1.x', () => {
  expect(pkg.peerDependencies).toEqual({ '@opentelemetry/api': '>=1.0.0 <2.0.0' });
  expect(pkg.peerDependenciesMeta).toBeUndefined();
  expect(pkg.dependencies['@opentelemetry/api']).toBeUndefined();
});

test('every package the distribution loads, but the api, is a dependency', () => {
  const loaded = packagesLoadedByTheDistribution().filter((name) => name !== '@opentelemetry/api');
  expect(loaded.length).toBeGreaterThan(5);
  expect(loaded.filter((name) => !(name in pkg.dependencies))).toEqual([]);
  expect(REQUIRED_PACKAGES.filter((name) => !(name in pkg.dependencies))).toEqual([]);
});
