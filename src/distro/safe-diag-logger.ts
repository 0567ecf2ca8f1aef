/**
 * The outermost layer of the diag logger that `start()` installs: every
 * message, from us or from the SDK (whose debug output may show endpoints and
 * header values, and whose errors may quote a collector's answer), is formatted
 * into one string, its secrets are removed and its control characters escaped
 * before any other logger, ours or the application's, sees it.
 */
import { formatWithOptions } from 'node:util';
import type { DiagLogFunction, DiagLogger } from '@opentelemetry/api';
import { escapeControlKeepLines } from './escape-control';
import type { Redactor } from './secrets';

/** Formats, redacts and escapes each message, then passes it on as a single string. */
export class SafeDiagLogger implements DiagLogger {
  readonly #sink: DiagLogger;
  readonly #redactor: Redactor;

  /**
   * @param sink the next logger; it receives one string per message.
   * @param redactor removes the secrets of this process's configuration.
   */
  constructor(sink: DiagLogger, redactor: Redactor) {
    this.#sink = sink;
    this.#redactor = redactor;
  }

  /** `message` and `args` as one safe string (as `console` would format them, without colours). */
  safe(message: string, args: unknown[]): string {
    let text: string;
    try {
      text = formatWithOptions({ colors: false, depth: 4 }, message, ...args);
    } catch {
      text = String(message);
    }
    return escapeControlKeepLines(this.#redactor.redact(text));
  }

  readonly error: DiagLogFunction = (message, ...args) => this.#sink.error(this.safe(message, args));
  readonly warn: DiagLogFunction = (message, ...args) => this.#sink.warn(this.safe(message, args));
  readonly info: DiagLogFunction = (message, ...args) => this.#sink.info(this.safe(message, args));
  readonly debug: DiagLogFunction = (message, ...args) => this.#sink.debug(this.safe(message, args));
  readonly verbose: DiagLogFunction = (message, ...args) => this.#sink.verbose(this.safe(message, args));
}
