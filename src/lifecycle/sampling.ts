/**
 * Which spans are tracked under a sampling ratio. The decision is local: a
 * random draw at each local root span, which the spans below it in this
 * process follow, so that a trace shows lifecycles whole or not at all here.
 * Never from the trace id: a client chooses the trace id of its requests
 * (traceparent), and could otherwise force the recording cost onto them.
 */
import { trace, type Context, type Span } from '@opentelemetry/api';

type DecisionCarrier = Record<symbol, boolean | undefined>;

/** Decides, per span, whether its resources are tracked; remembers the decision on the span. */
export class LifecycleSampler {
  readonly #ratio: number;
  readonly #random: () => number;
  /** Where a span keeps its decision, for the spans started under it (even after it ended). */
  readonly #decisionKey = Symbol('otel-async-context.lifecycle-sampled');

  /**
   * @param ratio fraction (0 to 1) of local traces to track.
   * @param random the source of the draw, `Math.random` unless a test gives one.
   */
  constructor(ratio: number, random: () => number = Math.random) {
    this.#ratio = ratio;
    this.#random = random;
  }

  /**
   * Whether `span`, started in `parentContext`, is tracked: as its parent, when the parent is a
   * span of this process that was decided; otherwise a fresh draw against the ratio.
   */
  decide(span: Span, parentContext: Context | undefined): boolean {
    if (this.#ratio >= 1) return true;
    if (this.#ratio <= 0) return false;
    let tracked: boolean | undefined;
    const parent = parentContext === undefined ? undefined : trace.getSpan(parentContext);
    if (parent !== undefined && !parent.spanContext().isRemote) {
      tracked = (parent as unknown as DecisionCarrier)[this.#decisionKey];
    }
    tracked ??= this.#random() < this.#ratio;
    (span as unknown as DecisionCarrier)[this.#decisionKey] = tracked;
    return tracked;
  }
}
