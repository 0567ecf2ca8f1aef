/**
 * The OTLP headers (OTEL_EXPORTER_OTLP_[TRACES_]HEADERS, `otlp.headers`),
 * checked before an exporter is made. The exporter parses the variables as
 * W3C baggage and silently drops malformed entries; a header it keeps but the
 * transport refuses fails every export (HTTP: Node's `ERR_INVALID_HTTP_TOKEN`
 * per request) or throws from the constructor (gRPC metadata). Reports name
 * positions and header names, never values.
 */
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import type { Env } from './config';
import { escapeControl } from './escape-control';
import type { OtlpOptions, OtlpProtocol } from './options';

const VARIABLES = ['OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS'];
/** RFC 9110 token: what Node's `setHeader` accepts as a name. */
const HTTP_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What Node's `setHeader` refuses in a value (CR, LF and other controls, characters above U+00FF). */
const HTTP_BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** grpc-js: metadata keys, lowercased; values of non-binary keys are printable ASCII. */
const GRPC_KEY = /^[0-9a-z_.-]+$/;
const GRPC_VALUE = /^[ -~]*$/;

function trimmed(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** Whether the exporter keeps `entry`: `key=value`, both percent-decodable (it drops the others silently). */
function wellFormed(entry: string): boolean {
  if (entry.trim() === '') return true;
  if (!/^\s*[^=\s][^=]*=\s*\S/.test(entry)) return false;
  const at = entry.indexOf('=');
  return decodes(entry.slice(0, at)) && decodes(entry.slice(at + 1));
}

/** Reports entries that are not `key=value` or not valid percent-encoding (the exporter drops them), by position. */
export function checkHeaderShape(env: Env, problems: string[]): void {
  for (const name of VARIABLES) {
    const raw = trimmed(env, name);
    if (raw === undefined) continue;
    const bad = raw
      .split(',')
      .map((entry, i) => ({ i: i + 1, ok: wellFormed(entry) }))
      .filter((e) => !e.ok)
      .map((e) => e.i);
    if (bad.length > 0) problems.push(`${name}: entry ${bad.join(', ')} is not key=value (percent-encoded) and is ignored`);
  }
}

function sendable(key: string, value: string, protocol: OtlpProtocol): boolean {
  if (protocol !== 'grpc') return HTTP_NAME.test(key) && !HTTP_BAD_VALUE.test(value);
  const lower = key.toLowerCase();
  return GRPC_KEY.test(lower) && !lower.endsWith('-bin') && GRPC_VALUE.test(value);
}

/**
 * Why the configured headers cannot be sent over `protocol` (a phrase naming
 * the variable and header, never the value), or undefined when they can.
 */
export function unsendableHeader(env: Env, otlp: OtlpOptions | undefined, protocol: OtlpProtocol): string | undefined {
  const what = protocol === 'grpc' ? 'gRPC metadata' : 'an HTTP header';
  const sources: Array<[string, Record<string, string>]> = VARIABLES.map((name) => [name, parseKeyPairsIntoRecord(trimmed(env, name))]);
  // otlp.headers goes to the HTTP exporters only (exporters.ts says so for grpc).
  if (protocol !== 'grpc' && otlp?.headers !== undefined) sources.push(['option otlp.headers', otlp.headers]);
  for (const [source, headers] of sources) {
    for (const [key, value] of Object.entries(headers)) {
      if (sendable(key, value, protocol)) continue;
      const shown = escapeControl(key.length > 40 ? `${key.slice(0, 37)}...` : key);
      return `${source}: header '${shown}' cannot be sent as ${what} (its name or value has characters ${protocol} does not allow)`;
    }
  }
  return undefined;
}
