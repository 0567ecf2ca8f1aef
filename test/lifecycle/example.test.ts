/** examples/lifecycle/request.js runs as written and prints its request's lifecycle. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

test('the lifecycle example serves one request and prints its span with lifecycle events', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'examples', 'lifecycle', 'request.js')], {
    cwd: ROOT, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NODE_OPTIONS: '' },
  });
  expect(r.status).toBe(0);
  // The app's own line on stdout; the tree, and nothing else, on stderr.
  expect(r.stdout).toBe('client got: hello, lifecycle\n\n');
  const out = r.stderr;
  expect(out).toMatch(/^── trace [0-9a-f]{32}  service /);
  expect(out).toMatch(/GET \/greet {2}\[SERVER\]/);
  // The summary line, with the cache-refresh timer left pending.
  expect(out).toMatch(/async resources: \d+ created \(.*Timeout \d+.*\), [1-9]\d* pending \(.*Timeout [1-9]/);
  // The database timer's lifecycle: init, then before and after of the same id.
  const init = /async\.init \+[\d.]+ ms {2}async\.id=(\d+) async\.type=Timeout/.exec(out);
  expect(init).not.toBeNull();
  const id = init![1];
  expect(out).toMatch(new RegExp(`async\\.before \\+[\\d.]+ ms  async\\.id=${id} async\\.type=Timeout`));
  expect(out).toMatch(new RegExp(`async\\.after \\+[\\d.]+ ms  async\\.id=${id} async\\.type=Timeout`));
});
