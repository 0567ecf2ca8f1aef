/** Shared pieces of the reliability tests: child processes on this Node binary. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const FIXTURES = join(__dirname, 'fixtures');

/**
 * The environment of a child: this process's, without the OTEL_* variables
 * (a developer's or CI's settings must not change what the fixtures test),
 * plus `extra`.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_')) env[key] = value;
  return { ...env, NODE_OPTIONS: '', ...extra };
}

export interface ChildRun {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  /** The JSON object on the last line of stdout, or undefined when there is none. */
  result: any;
}

/**
 * Runs `fixtures/<name>` with this process's Node binary (so a Node 24 run of
 * Jest tests Node 24) from the repository root. Resolves when the child exits
 * by itself, or after `timeoutMs` with the child killed (signal SIGKILL).
 */
export function runFixture(
  name: string, args: string[] = [], env: Record<string, string> = {}, timeoutMs = 60_000, nodeArgs: string[] = [],
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, join(FIXTURES, name), ...args], {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      let result: unknown;
      const last = stdout.trim().split('\n').pop() ?? '';
      try { result = JSON.parse(last); } catch { result = undefined; }
      resolve({ stdout, stderr, status, signal, result });
    });
  });
}
