// Renders a chain of spans N deep with the ConsoleTreeExporter of a built dist/
// and prints what came out (lines, bytes, time to end the spans, any error).
// Used for the "deep chains" figures of docs/reliability.md:
//   node scripts/deep-tree.mjs [depth=10000] [path to dist/cjs/index.js]
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const { ROOT_CONTEXT, trace } = require('@opentelemetry/api');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const depth = Number(process.argv[2] ?? 10000);
const { ConsoleTreeExporter } = require(resolve(process.argv[3] ?? 'dist/cjs/index.js'));

let bytes = 0;
let lines = 0;
const stream = { write: (text) => ((bytes += Buffer.byteLength(text)), (lines += text.split('\n').length - 1), true) };
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleTreeExporter({ stream }))] });
const tracer = provider.getTracer('deep-tree');
const spans = [];
let parent = ROOT_CONTEXT;
for (let i = 0; i < depth; i++) {
  const span = tracer.startSpan(`level ${i}`, {}, parent);
  spans.push(span);
  parent = trace.setSpan(ROOT_CONTEXT, span);
}
// The processor swallows an exporter's throw: watch the diag channel for it too.
let error = 'none';
const { diag, DiagLogLevel } = require('@opentelemetry/api');
diag.setLogger({ error: (...a) => (error = a.map(String).join(' ').slice(0, 120)), warn() {}, info() {}, debug() {}, verbose() {} }, DiagLogLevel.ERROR);
const start = process.hrtime.bigint();
for (let i = depth - 1; i >= 0; i--) spans[i].end(); // children first, as real code ends them
const ms = Number(process.hrtime.bigint() - start) / 1e6;
console.log(JSON.stringify({ node: process.version, depth, lines, bytes, ms: Math.round(ms), error }));
