/**
 * How the bind helpers enter a context: a function of the manager that calls
 * `fn(a, b, c)` in `run` of the manager's current storage. It is read at call
 * time, so what was bound before `disable()` uses the storage that follows it.
 * Three fixed arguments fit each caller (`Reflect.apply`, `Reflect.construct`,
 * a listener call) without allocating a rest array.
 */
import type { Context } from '@opentelemetry/api';

/** Calls `fn(a, b, c)` with `context` active and returns its result. */
export type RunInContext = <R, A, B, C>(context: Context, fn: (a: A, b: B, c: C) => R, a: A, b: B, c: C) => R;
