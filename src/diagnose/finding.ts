/**
 * `Finding`: one span started in the wrong context, with what the doctor
 * knows about why: the parent that had ended (leaked) or the span the code
 * descended from (lost), the resource that carried the context, its trigger
 * chain, the application frame, and the fix. It renders itself as one
 * sentence (for diag) and as span attributes.
 */
import type { Attributes } from '@opentelemetry/api';
import { DiagnosisAttribute, type DiagnosisKind } from './attributes';
import type { CallSite } from './call-site';
import type { KnownResource, ResourceFromSpan } from './resource-table';
import { formatAgo } from './span-origin';

/** What {@link Finding} is made from. */
export interface FindingFacts {
  readonly kind: DiagnosisKind;
  readonly spanName: string;
  /** SpanKind's name, e.g. `CLIENT`. */
  readonly spanKind: string;
  /** Leaked: the parent span's name and how long ago (ms) it ended. */
  readonly parentName?: string;
  readonly parentEndedMsAgo?: number;
  /** The running resource's asyncId, and the followed resources from it up its trigger chain. */
  readonly runningAsyncId: number;
  readonly chain: readonly KnownResource[];
  readonly site: CallSite;
  readonly fix: string;
  /** Milliseconds since the epoch, for "ended ... ago". */
  readonly now: number;
}

/** Links of a trigger chain shown at most. */
export const MAX_CHAIN = 8;

/** One diagnosed span. */
export class Finding {
  readonly facts: FindingFacts;
  /**
   * The resource that carried the context: the first of the chain created
   * under a span, else the ancestor (gone since) that the chain's last link
   * descends from.
   */
  readonly carrier: ResourceFromSpan | undefined;

  constructor(facts: FindingFacts) {
    this.facts = facts;
    const withOrigin = facts.chain.find((r) => r.origin !== undefined);
    this.carrier = withOrigin !== undefined ? { asyncId: withOrigin.asyncId, type: withOrigin.type, origin: withOrigin.origin! } : facts.chain.at(-1)?.ancestor;
  }

  /** Same span name, resource type and application frame: the same finding. */
  get key(): string {
    const { kind, spanName, site } = this.facts;
    return `${kind}\u0000${spanName}\u0000${this.carrier?.type ?? ''}\u0000${site.appFrame ?? site.innerLibrary ?? ''}`;
  }

  /** The trigger chain as text links: "TickObject 40 <- TCPWRAP 31 created under 'GET /a' (ended 2 s ago)". */
  chainLinks(): string[] {
    const { chain, runningAsyncId, now } = this.facts;
    const links = chain.map((r) => `${r.type} ${r.asyncId}${r.origin !== undefined ? ` created under ${r.origin.describe(now)}` : ''}`);
    if (chain.length === 0 || chain[0].asyncId !== runningAsyncId) links.unshift(`asyncId ${runningAsyncId} (not followed)`);
    const last = chain.at(-1);
    if (last !== undefined && last.origin === undefined && last.ancestor !== undefined) {
      const { type, asyncId, origin } = last.ancestor;
      if (asyncId !== last.triggerAsyncId) links.push('...');
      links.push(`${type} ${asyncId} created under ${origin.describe(now)}`);
    }
    return links;
  }

  /** The finding as one sentence. */
  message(): string {
    const { kind, spanName, spanKind, parentName, parentEndedMsAgo, site, fix, now } = this.facts;
    const carrier = this.carrier;
    const parts: string[] = [];
    if (kind === 'leaked_context') {
      parts.push(`leaked context: span '${spanName}' (${spanKind}) started under '${parentName}', which ended ${formatAgo(parentEndedMsAgo ?? 0)} before.`);
      parts.push(carrier !== undefined
        ? `It runs in a callback of ${carrier.type} ${carrier.asyncId}, created under ${carrier.origin.describe(now)}: that resource carried its creator's context to later work.`
        : `The running resource was not followed (created before the doctor started, or a promise).`);
    } else {
      parts.push(`lost context: span '${spanName}' (${spanKind}) started with no parent, in code that descends from ${carrier!.type} ${carrier!.asyncId}, created under ${carrier!.origin.describe(now)}: the context was dropped on the way.`);
    }
    parts.push(`Trigger chain: ${this.chainLinks().join(' <- ')}.`);
    if (site.appFrame !== undefined) parts.push(`At ${site.appFrame}${site.callerLibrary !== undefined ? `, called from ${site.callerLibrary}` : site.fromEmitter ? ', called by an EventEmitter' : ''}.`);
    else if (site.innerLibrary !== undefined) parts.push(`Inside ${site.innerLibrary}.`);
    parts.push(`Fix: ${fix}.`);
    return parts.join(' ');
  }

  /** The attributes for the span the finding is about. */
  attributes(): Attributes {
    const { kind, parentName, parentEndedMsAgo, site, fix } = this.facts;
    const carrier = this.carrier;
    const attributes: Attributes = {
      [DiagnosisAttribute.diagnosis]: kind,
      [DiagnosisAttribute.message]: this.message(),
      [DiagnosisAttribute.triggerChain]: this.chainLinks(),
      [DiagnosisAttribute.fix]: fix,
    };
    if (parentName !== undefined) attributes[DiagnosisAttribute.parent] = parentName;
    if (parentEndedMsAgo !== undefined) attributes[DiagnosisAttribute.parentEndedMsAgo] = Math.round(parentEndedMsAgo * 1000) / 1000;
    if (carrier !== undefined) {
      attributes[DiagnosisAttribute.resourceType] = carrier.type;
      attributes[DiagnosisAttribute.resourceId] = carrier.asyncId;
      attributes[DiagnosisAttribute.resourceSpan] = carrier.origin.name;
      attributes[DiagnosisAttribute.resourceSpanId] = carrier.origin.spanId;
    }
    if (site.appFrame !== undefined) attributes[DiagnosisAttribute.location] = site.appFrame;
    return attributes;
  }
}
