/** The W3C propagators named by OTEL_PROPAGATORS / `options.propagators`. */
import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { DistroConfig } from './config';

/** One composite propagator over the configured ones, in the configured order. */
export function createPropagator(names: DistroConfig['propagators']): TextMapPropagator {
  return new CompositePropagator({
    propagators: names.map((name) => (name === 'baggage' ? new W3CBaggagePropagator() : new W3CTraceContextPropagator())),
  });
}
