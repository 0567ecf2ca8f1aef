/**
 * Synchronous HTTP delivery for the moments when the event loop will not turn again
 * (`'exit'` listeners, a signal about to be re-raised): a worker thread sends the
 * requests while this thread blocks in `Atomics.wait` on a SharedArrayBuffer, with the
 * deadline as its timeout (the technique of pino's thread-stream).
 *
 * The worker's code is {@link exportWorkerMain}, run with `eval: true`: the same source
 * serves the CommonJS and the ES module builds and the tests, with no file to locate.
 * It is self-contained (it takes Node's modules from `process.getBuiltinModule`, which
 * the supported Node lines have), gets `execArgv: []` so that `--require`/`--import`
 * of the distribution does not start a second SDK in it, keeps its stdout and stderr
 * to itself, and is unref'd: it never holds the process.
 */
import { Worker } from 'node:worker_threads';

/** One HTTP POST, built by the caller (exit-route.ts). */
export interface SyncRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  readonly gzip: boolean;
}

/** How a {@link deliverSync} call went. */
export interface SyncDelivery {
  /** Requests answered with a 2xx status. */
  readonly delivered: number;
  /** Requests that failed: refused, an error status, or not answered in time. */
  readonly failed: number;
  /** True when the deadline passed before every request was answered. */
  readonly timedOut: boolean;
  /** Why the worker could not run, if it could not. */
  readonly error?: unknown;
}

/** The worker's data: the requests, the shared status words, the deadline. */
interface WorkerInput {
  readonly requests: readonly SyncRequest[];
  /** Int32Array over it: [0] = requests settled; [1 + i] = 1 delivered, 2 failed. */
  readonly state: SharedArrayBuffer;
  readonly timeoutMillis: number;
}

/** The worker thread's code: sends each request, records its outcome, wakes the waiting thread. */
export function exportWorkerMain(): void {
  const { workerData } = process.getBuiltinModule('node:worker_threads');
  const input = workerData as WorkerInput;
  const state = new Int32Array(input.state);
  const settle = (i: number, outcome: number): void => {
    if (Atomics.compareExchange(state, 1 + i, 0, outcome) !== 0) return;
    Atomics.add(state, 0, 1);
    Atomics.notify(state, 0);
  };
  input.requests.forEach((request, i) => {
    try {
      const url = new URL(request.url);
      const http = process.getBuiltinModule(url.protocol === 'https:' ? 'node:https' : 'node:http');
      const headers: Record<string, string> = { ...request.headers };
      let body: Uint8Array = request.body;
      if (request.gzip) {
        body = process.getBuiltinModule('node:zlib').gzipSync(body);
        headers['Content-Encoding'] = 'gzip';
      }
      headers['Content-Length'] = String(body.byteLength);
      const req = http.request(url, { method: 'POST', headers, timeout: input.timeoutMillis }, (res) => {
        res.resume();
        res.on('end', () => settle(i, res.statusCode !== undefined && res.statusCode < 300 ? 1 : 2));
        res.on('error', () => settle(i, 2));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => settle(i, 2));
      req.end(body);
    } catch {
      settle(i, 2);
    }
  });
}

const WORKER_SOURCE = `(${exportWorkerMain.toString()})()`;

/**
 * Sends `requests` from a worker thread and blocks this thread until all are answered
 * or `timeoutMillis` pass. Never throws.
 */
export function deliverSync(requests: readonly SyncRequest[], timeoutMillis: number): SyncDelivery {
  if (requests.length === 0) return { delivered: 0, failed: 0, timedOut: false };
  const started = Date.now();
  const buffer = new SharedArrayBuffer(4 * (1 + requests.length));
  const state = new Int32Array(buffer);
  try {
    const input: WorkerInput = { requests, state: buffer, timeoutMillis };
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: input, stdout: true, stderr: true });
    worker.unref();
    worker.on('error', () => {}); // a worker that fails counts as undelivered; nothing is printed
  } catch (error) {
    return { delivered: 0, failed: requests.length, timedOut: false, error };
  }
  for (;;) {
    const settled = Atomics.load(state, 0);
    if (settled >= requests.length) break;
    const left = timeoutMillis - (Date.now() - started);
    if (left <= 0 || Atomics.wait(state, 0, settled, left) === 'timed-out') break;
  }
  let delivered = 0;
  let failed = 0;
  for (let i = 0; i < requests.length; i++) {
    if (state[1 + i] === 1) delivered++;
    else failed++;
  }
  return { delivered, failed, timedOut: Atomics.load(state, 0) < requests.length };
}
