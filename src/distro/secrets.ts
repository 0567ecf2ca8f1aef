/**
 * Secrets of the OTLP configuration, and their removal from text. Header
 * values (OTEL_EXPORTER_OTLP_[TRACES_]HEADERS, `otlp.headers`) and URL
 * passwords (in any endpoint) must never reach a log: every diagnostic the
 * distribution installs a logger for passes through {@link Redactor}.
 */
import type { Env } from './config';
import type { OtlpOptions } from './options';

/** What a secret is replaced with. */
export const REDACTED = '***';

const HEADER_VARIABLES = ['OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS'];
const ENDPOINT_VARIABLES = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'];
/** Shorter values are not searched for in text: they would blank out ordinary words and numbers. */
const MIN_SECRET_LENGTH = 3;
/** Parts of a header value (`Bearer <token>`) that are searched for on their own from this length. */
const MIN_PART_LENGTH = 6;
const AUTH_SCHEMES = new Set(['bearer', 'basic', 'digest', 'token', 'apikey', 'api-key', 'negotiate']);
/** `scheme://user:password@`: the password of any URL written in text. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@'"]*):([^\s/?#'"]*)@/gi;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The value of each `key=value` entry of a headers variable, as written and percent-decoded. */
function headerValues(raw: string): string[] {
  return raw.split(',').flatMap((entry) => {
    const at = entry.indexOf('=');
    if (at < 0) return [];
    const value = entry.slice(at + 1).trim();
    return [value, decoded(value)];
  });
}

/** The password of a URL-like string, as written and percent-decoded; also when it does not parse. */
function urlPasswords(raw: string): string[] {
  const found: string[] = [];
  for (const match of raw.matchAll(URL_PASSWORD)) found.push(match[2]!, decoded(match[2]!));
  try {
    const url = new URL(raw);
    if (url.password !== '') found.push(url.password, decoded(url.password));
  } catch {
    // Not a URL: the pattern above is all there is.
  }
  return found;
}

/** Every secret of the OTLP settings in `options` and `env`, longest first. */
export function collectSecrets(env: Env, otlp: OtlpOptions | undefined): string[] {
  const values: string[] = [];
  for (const name of HEADER_VARIABLES) {
    const raw = env[name];
    if (raw !== undefined) values.push(...headerValues(raw));
  }
  for (const value of Object.values(otlp?.headers ?? {})) if (typeof value === 'string') values.push(value.trim());
  for (const name of ENDPOINT_VARIABLES) {
    const raw = env[name];
    if (raw !== undefined) values.push(...urlPasswords(raw));
  }
  if (typeof otlp?.endpoint === 'string') values.push(...urlPasswords(otlp.endpoint));
  // A token inside a value (`Bearer <token>`) may be printed on its own.
  const parts = values.flatMap((v) => v.split(/[\s,;]+/).filter((p) => p.length >= MIN_PART_LENGTH && !AUTH_SCHEMES.has(p.toLowerCase())));
  const all = new Set([...values, ...parts].filter((v) => v.length >= MIN_SECRET_LENGTH));
  return [...all].sort((a, b) => b.length - a.length);
}

/** Removes known secrets, and the password of any URL, from text. */
export class Redactor {
  readonly #secrets: readonly string[];

  /** @param secrets the values to remove, as {@link collectSecrets} returns them. */
  constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  /** `text` with every secret replaced by `***` and every `user:password@` of a URL by `user:***@`. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    URL_PASSWORD.lastIndex = 0;
    return out.replace(URL_PASSWORD, `$1:${REDACTED}@`);
  }
}
