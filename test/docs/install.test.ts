/**
 * The README's Install section names exactly the packages the distribution
 * needs: every optional peer dependency of package.json, at a version its
 * range accepts. (scripts/pack-check.mjs runs that command against the packed
 * tarball in CI.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('<!-- section:install -->'), readme.indexOf('<!-- /section:install -->'));
const command = [...section.matchAll(/```sh\n([\s\S]*?)```/g)][1]?.[1] ?? '';
const specs = new Map(command.replace(/\\\n/g, ' ').split(/\s+/).filter((w) => w.startsWith('@'))
  .map((spec) => [spec.slice(0, spec.lastIndexOf('@')), spec.slice(spec.lastIndexOf('@') + 1)]));
const optionalPeers = Object.keys(pkg.peerDependenciesMeta).filter((name) => pkg.peerDependenciesMeta[name].optional);

test('the distribution command installs otel-async-context and @opentelemetry/api 1.9', () => {
  expect(command.startsWith('npm install otel-async-context ')).toBe(true);
  expect(specs.get('@opentelemetry/api')).toBe('1.9');
});

test('the distribution command lists every optional peer dependency and nothing else', () => {
  expect([...specs.keys()].filter((name) => name !== '@opentelemetry/api').sort()).toEqual([...optionalPeers].sort());
});

test.each(optionalPeers)('%s: the README\'s version is the floor of the peer range', (name) => {
  // `^A.B.C` in package.json, `A.B` in the README (npm takes the newest A.B.x).
  const floor = /^\^(\d+)\.(\d+)\.\d+$/.exec(pkg.peerDependencies[name]);
  expect(floor).not.toBeNull();
  expect(specs.get(name)).toBe(`${floor![1]}.${floor![2]}`);
});

test('the manager and the engine need no other package', () => {
  expect(pkg.dependencies ?? {}).toEqual({});
  expect(Object.keys(pkg.peerDependencies).filter((name) => !optionalPeers.includes(name))).toEqual(['@opentelemetry/api']);
});
