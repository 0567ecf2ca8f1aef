/** Types of bench/soak-receiver.mjs (an OTLP/HTTP receiver on 127.0.0.1 with fault modes). */
export type ReceiverMode = 'ok' | 'down' | 'slow' | '500' | '503';

export interface Receiver {
  /** The traces URL (`http://127.0.0.1:<port>/v1/traces`). */
  readonly url: string;
  /** Export requests and bytes received so far. */
  readonly stats: { requests: number; bytes: number };
  close(): Promise<void>;
}

export function startReceiver(mode: ReceiverMode, options?: { slowMs?: number }): Promise<Receiver>;
