/**
 * README snippets that name an example file (`// example: <path>` on their
 * first line) must match that file exactly, and that file must run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** A line of a trace tree: a heading, a span line (ends with its id), or an event line under a span. */
const TREE_LINE = /^── trace [0-9a-f]{32}  service |  span [0-9a-f]{16}$|^[│├└─ ]* · /;
const snippets = [...readme.matchAll(/```js\n\/\/ example: (\S+)\n([\s\S]*?)```/g)].map((m) => ({ path: m[1], code: m[2] }));

test('the README shows runnable examples', () => {
  expect(snippets.length).toBeGreaterThanOrEqual(3);
});

describe.each(snippets)('README example $path', ({ path, code }) => {
  test('matches the file', () => {
    expect(code.trimEnd()).toBe(readFileSync(join(ROOT, path), 'utf8').trimEnd());
  });

  test('runs and exits 0', () => {
    const r = spawnSync(process.execPath, [join(ROOT, path)], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NODE_OPTIONS: '' } });
    // stderr holds trace trees (the console exporter writes there), and nothing else: no warning, no error.
    const notTree = r.stderr.split('\n').filter((line) => line !== '' && !TREE_LINE.test(line));
    expect({ status: r.status, notTree }).toEqual({ status: 0, notTree: [] });
    expect(r.stdout.length).toBeGreaterThan(0);
  });
});
