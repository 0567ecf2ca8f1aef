/**
 * The assertions on a received trace that both `npm test` (against the local
 * OTLP receiver) and `npm run e2e` (against Jaeger) make about the examples.
 */
import { SPAN_KIND, type ReceivedSpan } from './otlp-receiver';

/** The spans of the http-services checkout, found by service, kind and path. */
export interface CheckoutTrace {
  checkout: ReceivedSpan;
  stockClient: ReceivedSpan;
  stock: ReceivedSpan;
  pricesClient: ReceivedSpan;
  prices: ReceivedSpan;
}

const path = (s: ReceivedSpan): string => String(s.attributes['url.path'] ?? s.attributes['url.full'] ?? '');

function one(spans: ReceivedSpan[], what: string, test: (s: ReceivedSpan) => boolean): ReceivedSpan {
  const found = spans.filter(test);
  if (found.length !== 1) {
    throw new Error(`expected one ${what}, found ${found.length} among ${spans.map((s) => `${s.service}:${s.name}:${path(s)}`).join(', ')}`);
  }
  return found[0]!;
}

/** Whether `spans` hold the five HTTP spans of one checkout yet. */
export function hasCheckout(spans: ReceivedSpan[]): boolean {
  return spans.filter((s) => s.kind === SPAN_KIND.SERVER || s.kind === SPAN_KIND.CLIENT).length >= 5;
}

/** Finds the five HTTP spans of the checkout of `item`. */
export function checkoutTrace(spans: ReceivedSpan[], item = '42'): CheckoutTrace {
  const checkout = one(spans, 'frontend server span GET /checkout', (s) => s.service === 'frontend' && s.kind === SPAN_KIND.SERVER && path(s) === `/checkout/${item}`);
  const inTrace = spans.filter((s) => s.traceId === checkout.traceId);
  return {
    checkout,
    stockClient: one(inTrace, 'frontend client span to /stock', (s) => s.service === 'frontend' && s.kind === SPAN_KIND.CLIENT && path(s).includes(`/stock/${item}`)),
    stock: one(inTrace, 'inventory server span GET /stock', (s) => s.service === 'inventory' && s.kind === SPAN_KIND.SERVER && path(s) === `/stock/${item}`),
    pricesClient: one(inTrace, 'inventory client span to /prices', (s) => s.service === 'inventory' && s.kind === SPAN_KIND.CLIENT && path(s).includes(`/prices/${item}`)),
    prices: one(inTrace, 'frontend server span GET /prices', (s) => s.service === 'frontend' && s.kind === SPAN_KIND.SERVER && path(s) === `/prices/${item}`),
  };
}
