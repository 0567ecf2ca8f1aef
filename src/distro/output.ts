/**
 * Where the distribution writes: the console trace tree and its diagnostics.
 * Standard output belongs to the application (a CLI's JSON, a parent reading a
 * child's answer), so ours go to standard error, or, when
 * OTEL_ASYNC_CONTEXT_CONSOLE_FILE names a file, are appended to that file.
 * Writes are synchronous: a line is never lost at exit and never interleaved
 * with another process's line.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { DiagLogFunction, DiagLogger } from '@opentelemetry/api';

/** The variable that sends the distribution's output to a file instead of standard error. */
export const CONSOLE_FILE_VARIABLE = 'OTEL_ASYNC_CONTEXT_CONSOLE_FILE';

/** A destination for whole lines of text: standard error, or a file opened for appending. */
export interface Output {
  /** Writes `text` (one or more whole lines); never throws. */
  write(text: string): boolean;
  /** Closes the file, if one was opened; later writes are dropped. */
  close(): void;
}

class FileOutput implements Output {
  #fd: number | undefined;

  constructor(fd: number) {
    this.#fd = fd;
  }

  write(text: string): boolean {
    if (this.#fd === undefined) return false;
    try {
      writeSync(this.#fd, text);
      return true;
    } catch {
      return false; // a full disk or a closed descriptor: telemetry output is given up, never thrown
    }
  }

  close(): void {
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // already closed
    }
    this.#fd = undefined;
  }
}

/** Standard error, read at each write (a test or the app may replace `process.stderr`). */
export const STDERR: Output = Object.freeze({
  write(text: string): boolean {
    try {
      return process.stderr.write(text);
    } catch {
      return false;
    }
  },
  close(): void {},
});

/**
 * Opens the output named by `file` (appending), or standard error when `file`
 * is undefined. When the file cannot be opened, returns standard error and the
 * problem (the error's code and the path, never more).
 */
export function openOutput(file: string | undefined): { output: Output; problem?: string } {
  if (file === undefined) return { output: STDERR };
  try {
    return { output: new FileOutput(openSync(file, 'a')) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code ?? 'an error';
    return { output: STDERR, problem: `${CONSOLE_FILE_VARIABLE}: cannot open '${file}' for appending (${code}); writing to stderr` };
  }
}

/** A diag logger that writes each message, already formatted as one string, as a line of `output`. */
export class OutputDiagLogger implements DiagLogger {
  readonly #output: Output;

  constructor(output: Output) {
    this.#output = output;
  }

  #line(message: string, args: unknown[]): void {
    this.#output.write(`${[message, ...args].map(String).join(' ')}\n`);
  }

  readonly error: DiagLogFunction = (message, ...args) => this.#line(message, args);
  readonly warn: DiagLogFunction = (message, ...args) => this.#line(message, args);
  readonly info: DiagLogFunction = (message, ...args) => this.#line(message, args);
  readonly debug: DiagLogFunction = (message, ...args) => this.#line(message, args);
  readonly verbose: DiagLogFunction = (message, ...args) => this.#line(message, args);
}
