/**
 * `register` in an app whose install lost the distribution's packages (they are
 * dependencies, but a pruned or hand-copied node_modules may lack them): one warning on stderr, the app
 * runs untraced, through `--require` and `--import`. The built package is copied
 * into a temporary app whose node_modules holds only it and @opentelemetry/api.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SERVED = `
const server = http.createServer((req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', async () => {
  const response = await fetch('http://127.0.0.1:' + server.address().port + '/');
  console.log('served ' + response.status + ' ' + await response.text());
  server.close();
});
`;
let app: string;

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'otel-async-context-no-sdk-'));
  const pkg = join(app, 'node_modules', 'otel-async-context');
  mkdirSync(join(app, 'node_modules', '@opentelemetry'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(ROOT, 'dist', 'cjs'), join(pkg, 'dist', 'cjs'), { recursive: true });
  cpSync(join(ROOT, 'dist', 'esm'), join(pkg, 'dist', 'esm'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules', '@opentelemetry', 'api'), join(app, 'node_modules', '@opentelemetry', 'api'), 'dir');
  writeFileSync(join(app, 'app.cjs'), `const http = require('node:http');\n${SERVED}`);
  writeFileSync(join(app, 'app.mjs'), `import http from 'node:http';\n${SERVED}`);
});

afterAll(() => rmSync(app, { recursive: true, force: true }));

test.each([
  ['--require', 'app.cjs'],
  ['--import', 'app.mjs'],
])('node %s otel-async-context/register %s: one warning naming the missing packages, the app serves untraced', (flag, file) => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && k !== 'NODE_OPTIONS'));
  const run = spawnSync(process.execPath, [flag, 'otel-async-context/register', file], {
    cwd: app, env: { ...env, OTEL_TRACES_EXPORTER: 'console' }, encoding: 'utf8', timeout: 20_000,
  });
  expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: 'served 200 ok\n' });
  const warnings = run.stderr.split('\n').filter((line) => line.includes('OTEL_ASYNC_CONTEXT_MISSING_PACKAGES'));
  expect(warnings).toHaveLength(1);
  for (const name of ['@opentelemetry/sdk-trace-base', '@opentelemetry/resources', '@opentelemetry/auto-instrumentations-node']) {
    expect(warnings[0]).toContain(name);
  }
  expect(run.stderr).not.toMatch(/\[SERVER\]|Cannot find/);
});
