/** The context doctor: why a span is in the wrong trace. */
export { DiagnoseSpanProcessor, diagnoseSpanProcessorFromEnv, DIAGNOSE_ENV } from './diagnose-span-processor';
export { DiagnosisAttribute, type DiagnosisKind } from './attributes';
export type { Diagnosis } from './diagnosis-log';
