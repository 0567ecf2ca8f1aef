/**
 * Errors shaped like Node's internal ones: the same class, `code` and message
 * format, and a stack that starts with `TypeError [ERR_CODE]: message`, so that
 * code testing `err.code` behaves the same on `node:async_hooks` and on ours.
 */

type ErrorClass = new (message: string) => Error;

/** An error of `Base` carrying Node's `code`. */
export function nodeError<E extends Error>(Base: new (message: string) => E, code: string, message: string): E & { code: string } {
  const err = new (Base as ErrorClass)(message) as E & { code: string };
  // Node shows the code in the stack's first line and keeps `name` plain.
  Object.defineProperty(err, 'name', { value: `${err.name} [${code}]`, configurable: true, writable: true });
  void err.stack;
  delete (err as { name?: string }).name;
  Object.defineProperty(err, 'code', { value: code, enumerable: true, configurable: true, writable: true });
  return err;
}

/** Describes a received value the way Node's ERR_INVALID_ARG_TYPE does. */
export function describeReceived(value: unknown): string {
  if (value === null || value === undefined) return ` Received ${value}`;
  if (typeof value === 'function') return ` Received function ${value.name || '<anonymous>'}`;
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name ? ` Received an instance of ${name}` : ' Received [object Object]';
  }
  let shown = String(value);
  if (shown.length > 25) shown = `${shown.slice(0, 25)}...`;
  if (typeof value === 'string') shown = `'${shown}'`;
  if (typeof value === 'bigint') shown += 'n';
  return ` Received type ${typeof value} (${shown})`;
}

/** `ERR_INVALID_ARG_TYPE`: an argument of the wrong type. */
export function invalidArgType(name: string, expected: string, value: unknown): TypeError {
  const what = name.includes('.') ? 'property' : 'argument';
  return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "${name}" ${what} must be ${expected}.${describeReceived(value)}`);
}

/** `ERR_INVALID_ARG_VALUE`: an argument of the right type but a bad value. */
export function invalidArgValue(name: string, value: unknown, reason: string): TypeError {
  const what = name.includes('.') ? 'property' : 'argument';
  let shown: string;
  try {
    shown = typeof value === 'string' ? `'${value}'` : String(value);
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  return nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The ${what} '${name}' ${reason}. Received ${shown}`);
}

/** `ERR_ASYNC_CALLBACK`: a hook callback that is not a function. */
export function asyncCallback(name: string): TypeError {
  return nodeError(TypeError, 'ERR_ASYNC_CALLBACK', `${name} must be a function`);
}

/** Throws `ERR_INVALID_ARG_TYPE` unless `value` is a function. */
export function validateFunction(value: unknown, name: string): asserts value is (...args: unknown[]) => unknown {
  if (typeof value !== 'function') throw invalidArgType(name, 'of type function', value);
}

/** Throws `ERR_INVALID_ARG_TYPE` unless `value` is a plain object (or undefined when optional). */
export function validateObject(value: unknown, name: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgType(name, 'of type object', value);
  }
}
