/** A bounded-concurrency HTTP load client on a keep-alive agent (no wall-clock limits, only counts). */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { childEnv, FIXTURES, ROOT } from './helpers';

export interface LoadResult {
  ok: number;
  failed: number;
  /** The first few failures, for the assertion message. */
  errors: string[];
}

/** GETs `path(i)` for i in [0, total), `concurrency` at a time; `check` validates each answer. */
export async function load(
  port: number, total: number, concurrency: number, path: (i: number) => string,
  check: (i: number, status: number, body: string) => boolean,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const result: LoadResult = { ok: 0, failed: 0, errors: [] };
  let next = 0;
  const one = (i: number) => new Promise<void>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: path(i), agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => {
        if (check(i, res.statusCode ?? 0, body)) result.ok++;
        else {
          result.failed++;
          if (result.errors.length < 10) result.errors.push(`${i}: ${res.statusCode} ${body.slice(0, 200)}`);
        }
        resolve();
      });
    });
    req.on('error', (err) => {
      result.failed++;
      if (result.errors.length < 10) result.errors.push(`${i}: ${err.message}`);
      resolve();
    });
  });
  const worker = async () => {
    while (next < total) await one(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return result;
}

/** A fixture server in a child process: the port it printed, and its exit. */
export interface ServerChild {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit status once the child has exited (by itself, or killed after `timeoutMs`). */
  exited: (timeoutMs: number) => Promise<{ status: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `fixtures/<name>` and waits for the `{"port": N}` line it prints when listening. */
export function startServer(name: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ServerChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, join(FIXTURES, name), ...args], {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let resolved = false;
    const exit = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((res) => {
      child.on('exit', (status, signal) => res({ status, signal }));
    });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m && !resolved) {
        resolved = true;
        resolve({
          child, port: Number(m[1]), stdout: () => out, stderr: () => err,
          exited: (timeoutMs) => {
            const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
            return exit.finally(() => clearTimeout(timer));
          },
        });
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.on('error', reject);
    child.on('exit', (status) => { if (!resolved) reject(new Error(`${name} exited (${status}) before listening: ${err}`)); });
  });
}

/** GETs one path and returns the body. */
export function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}
