/**
 * Runs a fixture script in a child process with `ASYNC_HOOKS_MODULE` naming
 * the module it loads: `node:async_hooks` (the reference) or the built
 * `otel-async-context/hooks`, so that both can be compared line by line.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import type { EngineName } from '../../src/hooks/index';

export const ROOT = join(__dirname, '..', '..');
export const FIXTURES = join(__dirname, 'fixtures');

export type ModuleUnderTest = 'node:async_hooks' | 'otel-async-context/hooks';

export interface FixtureRun {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** How to run a fixture: the engine, the script's arguments and Node's (e.g. `--expose-gc`). */
export interface FixtureOptions {
  engine?: EngineName;
  scriptArgs?: string[];
  nodeArgs?: string[];
  /** When to kill a fixture that hangs (default 20 s): a guard, not an assertion. */
  timeoutMs?: number;
}

/** Runs `fixtures/<name>` against a module (and engine), returning its output. */
export function runFixture(name: string, module: ModuleUnderTest, options: FixtureOptions = {}): FixtureRun {
  const { engine, scriptArgs = [], nodeArgs = [], timeoutMs = 20_000 } = options;
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [...nodeArgs, join(FIXTURES, name), ...scriptArgs], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: {
      ...process.env,
      ASYNC_HOOKS_MODULE: module,
      OTEL_ASYNC_CONTEXT_ENGINE: engine ?? '',
      NODE_OPTIONS: '',
    },
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}
