/**
 * The diag logger that `start()` installs, and the "reported once" rule: while
 * `start()` runs, a warning or error that names an OTEL_* variable already named
 * by an earlier one is dropped. Several SDK readers may complain about the same
 * bad value (the sampler's ratio is parsed, then found missing); the user hears
 * about it once.
 */
import type { DiagLogger, DiagLogFunction } from '@opentelemetry/api';

const VARIABLE = /\bOTEL_[A-Z0-9_]+/g;

/** Forwards to `sink`, dropping repeated reports about one variable until `done()`. */
export class ReportOnceLogger implements DiagLogger {
  readonly #sink: DiagLogger;
  readonly #seen = new Set<string>();
  #collecting = true;

  constructor(sink: DiagLogger) {
    this.#sink = sink;
  }

  /** Stops dropping: later messages all pass. */
  done(): void {
    this.#collecting = false;
    this.#seen.clear();
  }

  #repeated(args: unknown[]): boolean {
    if (!this.#collecting) return false;
    const names = args.filter((a): a is string => typeof a === 'string').flatMap((a) => a.match(VARIABLE) ?? []);
    if (names.length === 0) return false;
    const repeated = names.every((n) => this.#seen.has(n));
    for (const n of names) this.#seen.add(n);
    return repeated;
  }

  readonly error: DiagLogFunction = (message, ...args) => {
    if (!this.#repeated([message, ...args])) this.#sink.error(message, ...args);
  };
  readonly warn: DiagLogFunction = (message, ...args) => {
    if (!this.#repeated([message, ...args])) this.#sink.warn(message, ...args);
  };
  readonly info: DiagLogFunction = (message, ...args) => this.#sink.info(message, ...args);
  readonly debug: DiagLogFunction = (message, ...args) => this.#sink.debug(message, ...args);
  readonly verbose: DiagLogFunction = (message, ...args) => this.#sink.verbose(message, ...args);
}
