/** The attributes a diagnosis puts on the span it is about. */
export const DiagnosisAttribute = {
  /** `leaked_context` or `lost_context`. */
  diagnosis: 'otel_async_context.diagnosis',
  /** The whole finding as one sentence (also what diag prints). */
  message: 'otel_async_context.diagnosis.message',
  /** The parent span's name (leaked context). */
  parent: 'otel_async_context.diagnosis.parent',
  /** How long before this span started its parent had ended, in ms (leaked context). */
  parentEndedMsAgo: 'otel_async_context.diagnosis.parent_ended_ms_ago',
  /** The async resource that carried (or, lost, last had) a span's context: type and asyncId. */
  resourceType: 'otel_async_context.diagnosis.resource.type',
  resourceId: 'otel_async_context.diagnosis.resource.id',
  /** The span under which that resource was created: name and span id. */
  resourceSpan: 'otel_async_context.diagnosis.resource.span',
  resourceSpanId: 'otel_async_context.diagnosis.resource.span_id',
  /** The running resource and its triggers, as far as known ("TickObject 40", "TCPWRAP 31 'GET /a'", ...). */
  triggerChain: 'otel_async_context.diagnosis.trigger_chain',
  /** The first application frame, `file:line:col`. */
  location: 'otel_async_context.diagnosis.code.location',
  /** The fix, when one is known. */
  fix: 'otel_async_context.diagnosis.fix',
} as const;

/** The values of `otel_async_context.diagnosis`. */
export type DiagnosisKind = 'leaked_context' | 'lost_context';
