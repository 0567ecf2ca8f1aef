/**
 * The context manager's examples run as they are written: the README
 * snippet of "Using the context manager" and examples/context-manager/basic.js,
 * each loading `otel-async-context` (the built package, by self-reference).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, distHasContext, runNode } from './helpers';

/** The JavaScript blocks of the README between the context section's markers. */
function readmeSnippets(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('<!-- section:context -->'), readme.indexOf('<!-- /section:context -->'));
  return [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
}

beforeAll(() => {
  if (!distHasContext()) throw new Error('dist/ has no context manager: run `npm run build` (test/global-setup.cjs does)');
});

test('README: the "Using the context manager" snippet runs and prints what it says', () => {
  const [snippet] = readmeSnippets();
  expect(snippet).toContain("require('otel-async-context/context')");
  const run = runNode(['-e', snippet]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toBe('db.query is a child of request: true\n');
});

test('examples/context-manager/basic.js', () => {
  const run = runNode([join(ROOT, 'examples', 'context-manager', 'basic.js')]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout.split('\n')).toEqual([
    'listener runs in: subscribe',
    'attached: ada',
    'after dispose: undefined',
    'GET /a <- (root)',
    'GET /b <- (root)',
    'db.query <- GET /a',
    'db.query <- GET /b',
    'render <- GET /a',
    'render <- GET /b',
    'subscribe <- (root)',
    '',
  ]);
});
