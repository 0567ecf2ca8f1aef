/**
 * Whether an OTLP endpoint from the environment can work. The exporters read
 * OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT themselves; given one they cannot parse,
 * the HTTP exporters log it whole (password included) and send to their default
 * URL, and the gRPC exporter throws from its constructor. The distribution checks
 * first and turns the exporter off instead, reporting the value without its
 * password.
 */
import { escapeControl } from './escape-control';
import type { OtlpProtocol } from './options';
import { REDACTED } from './secrets';

const SCHEME = /^([\w]{1,8}):\/\//;

/** `raw` as it may be shown: a password in it replaced, control characters escaped, long values cut. */
export function showEndpoint(raw: string): string {
  let shown = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):([^\s/?#]*)@/i, `$1:${REDACTED}@`);
  // A URL that does not parse may still carry `user:password@` where the pattern does not see it.
  if (!shown.includes(REDACTED) && shown.includes('@')) shown = `${REDACTED}@${shown.slice(shown.lastIndexOf('@') + 1)}`;
  shown = shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
  return escapeControl(shown);
}

/**
 * Returns why `raw` cannot serve as the endpoint of `protocol` (a phrase for a
 * diagnostic, the value shown without its password), or undefined when it can.
 * HTTP: an absolute `http:` or `https:` URL. gRPC: what the exporter accepts, a
 * URL or `host:port` (it adds `https://`).
 */
export function otlpEndpointProblem(raw: string, protocol: OtlpProtocol): string | undefined {
  const candidate = protocol === 'grpc' && !SCHEME.test(raw) ? `https://${raw}` : raw;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return `is not a URL ('${showEndpoint(raw)}')`;
  }
  if (protocol !== 'grpc' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `must be an http:// or https:// URL for ${protocol} (got '${showEndpoint(raw)}')`;
  }
  if (protocol === 'grpc' && url.protocol !== 'unix:' && url.host === '') {
    return `has no host ('${showEndpoint(raw)}')`;
  }
  return undefined;
}
