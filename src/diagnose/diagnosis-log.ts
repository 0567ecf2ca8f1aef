/**
 * `DiagnosisLog`: the distinct findings and how often each was seen. A
 * finding is printed through diag the first time it is seen; every finding is
 * summarised, with its count, at shutdown. Bounded: past `MAX_DISTINCT`
 * distinct findings, new ones are only counted.
 */
import { diag } from '@opentelemetry/api';
import type { DiagnosisKind } from './attributes';
import type { Finding } from './finding';

/** Distinct findings kept at most. */
export const MAX_DISTINCT = 100;
const PREFIX = 'otel-async-context doctor:';

/** A distinct finding, as the summary and `DiagnoseSpanProcessor.diagnoses` show it. */
export interface Diagnosis {
  readonly kind: DiagnosisKind;
  readonly spanName: string;
  /** Type of the resource that carried the context (`undefined`: not followed). */
  readonly resourceType: string | undefined;
  /** The span under which that resource was created. */
  readonly resourceSpan: string | undefined;
  /** The first application frame, `file:line:col`. */
  readonly location: string | undefined;
  readonly fix: string;
  /** The first occurrence, as one sentence. */
  readonly message: string;
  /** How many spans had this finding. */
  readonly count: number;
}

/** The findings so far, one entry per distinct finding. */
export class DiagnosisLog {
  readonly #entries = new Map<string, { diagnosis: Omit<Diagnosis, 'count'>; count: number }>();
  #uncounted = 0;

  /** Counts `finding`; prints it if it is new. */
  record(finding: Finding): void {
    const key = finding.key;
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      entry.count++;
      return;
    }
    if (this.#entries.size >= MAX_DISTINCT) {
      this.#uncounted++;
      return;
    }
    const { kind, spanName, site, fix } = finding.facts;
    const message = finding.message();
    this.#entries.set(key, {
      diagnosis: { kind, spanName, resourceType: finding.carrier?.type, resourceSpan: finding.carrier?.origin?.name, location: site.appFrame, fix, message },
      count: 1,
    });
    diag.warn(`${PREFIX} ${message}`);
  }

  /** Every distinct finding with its count, first seen first. */
  get diagnoses(): Diagnosis[] {
    return [...this.#entries.values()].map(({ diagnosis, count }) => ({ ...diagnosis, count }));
  }

  /** Prints the summary (nothing when there were no findings). */
  summarize(): void {
    if (this.#entries.size === 0) return;
    const lines = this.diagnoses.map((d) =>
      `  ${d.count} × ${d.kind === 'leaked_context' ? 'leaked' : 'lost'} context: span '${d.spanName}'` +
      `${d.resourceType !== undefined ? `, carried by ${d.resourceType} from '${d.resourceSpan}'` : ''}` +
      `${d.location !== undefined ? ` at ${d.location}` : ''}. Fix: ${d.fix}`);
    if (this.#uncounted > 0) lines.push(`  ${this.#uncounted} more spans with findings beyond the first ${MAX_DISTINCT} distinct ones`);
    diag.warn(`${PREFIX} ${this.#entries.size} distinct finding(s) of spans in the wrong context:\n${lines.join('\n')}`);
  }

  /** Forgets everything. */
  clear(): void {
    this.#entries.clear();
    this.#uncounted = 0;
  }
}
