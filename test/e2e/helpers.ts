/**
 * Shared pieces of the distribution's end-to-end tests: a built `dist/` (the
 * examples load `otel-async-context/register` from it) and child processes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OtlpReceiver } from './otlp-receiver';

export const ROOT = join(__dirname, '..', '..');

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds `dist/` when it is missing. Jest's globalSetup (test/global-setup.cjs)
 * builds it before every run; this covers runs that skip that build. Never
 * rebuilds a present dist/: other test files run children from it meanwhile.
 * Test files run in parallel workers: one builds under a lock, the others wait.
 */
export function ensureBuilt(): void {
  const markers = [join(ROOT, 'dist', 'cjs', 'register.js'), join(ROOT, 'dist', 'esm', 'register.mjs')];
  const fresh = (): boolean => markers.every((m) => existsSync(m));
  if (fresh()) return;
  const lock = join(tmpdir(), `otel-async-context-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.lock`);
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 120_000) throw new Error(`waited 2 minutes for another build (lock ${lock})`);
      sleepSync(200);
    }
  }
  try {
    if (!fresh()) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    rmdirSync(lock);
  }
}

/** What a child process did. */
export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for a child: this one without OTEL_* and NODE_OPTIONS, plus `env`. */
export function childEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_') && k !== 'NODE_OPTIONS'),
  );
  return { ...base, ...env };
}

/**
 * Runs this Node binary with `args` from the repository root (where
 * `otel-async-context/register` resolves to dist/). Killed with SIGKILL after
 * `timeoutMs` (then `signal` says so).
 */
export function runNode(
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 60_000,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * One OtlpReceiver on 127.0.0.1 for the enclosing describe block (or file):
 * builds dist/ if needed and starts it before the tests, clears it after each
 * test, closes it at the end. Tests read it through the returned function.
 */
export function useOtlpReceiver(): () => OtlpReceiver {
  let receiver: OtlpReceiver | undefined;
  beforeAll(async () => {
    ensureBuilt();
    receiver = await OtlpReceiver.start();
  });
  afterEach(() => receiver?.clear());
  afterAll(() => receiver?.close());
  return () => {
    if (receiver === undefined) throw new Error('the OTLP receiver is used before beforeAll started it');
    return receiver;
  };
}
