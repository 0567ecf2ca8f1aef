/** Shared pieces of the context/ tests. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT_CONTEXT, createContextKey, type Context } from '@opentelemetry/api';
import { AsyncContextManager } from '../../src/context/index';
import type { EngineName } from '../../src/hooks/index';

export const ROOT = join(__dirname, '..', '..');
export const FIXTURES = join(__dirname, 'fixtures');

/** The key under which test contexts carry their label. */
export const LABEL = createContextKey('otel-async-context test label');

/** A context labelled `label` (a fresh object each call). */
export function ctx(label: string, parent: Context = ROOT_CONTEXT): Context {
  return parent.setValue(LABEL, label);
}

/** The label of a context, or 'root' for one without. */
export function labelOf(context: Context): string {
  return (context.getValue(LABEL) as string | undefined) ?? 'root';
}

/** Whether the package has been built with the context manager (test/global-setup.cjs builds it). */
export function distHasContext(): boolean {
  return existsSync(join(ROOT, 'dist', 'cjs', 'context', 'index.js'));
}

export interface NodeRun {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Runs a script with this process's Node binary, from the repository root. */
export function runNode(args: string[], env: Record<string, string> = {}): NodeRun {
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, NODE_OPTIONS: '', OTEL_ASYNC_CONTEXT_ENGINE: '', ...env },
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/**
 * A fresh AsyncContextManager on `engine` for each test of the enclosing
 * block (disabled after it), with `label()`, the active context's label, and
 * `within(name, fn)`, which runs `fn` in a context labelled `name`.
 */
export function useManager(engine: EngineName) {
  let current: AsyncContextManager | undefined;
  beforeEach(() => {
    current = new AsyncContextManager({ engine });
  });
  afterEach(() => {
    current?.disable();
  });
  const manager = (): AsyncContextManager => {
    if (current === undefined) throw new Error('the manager is used outside a test');
    return current;
  };
  return {
    manager,
    label: (): string => labelOf(manager().active()),
    within: <R>(name: string, fn: () => R): R => manager().with(ctx(name), fn),
  };
}
