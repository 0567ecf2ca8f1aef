// The context doctor on a classic: a connection opened by the first request and reused by the next.
// Run: npm run build && node examples/diagnose/pooled-connection.js
//
// A tiny line-protocol "database" runs on a local TCP port. The app opens one connection lazily, in
// the first request, and later requests send their queries on it with a callback. The socket's
// callbacks run in the context where the socket was created: the second request's 'render' span
// lands under the first request, which has ended. The doctor says so, names the socket (TCPWRAP)
// and the span that created it, and the fix; with the callback bound, it finds nothing.
const net = require('node:net');
const { context, diag, trace } = require('@opentelemetry/api');
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
const { AsyncContextManager, DiagnoseSpanProcessor } = require('otel-async-context');

// The doctor reports through diag: here, to stdout.
diag.setLogger({ warn: (message) => console.log(message), error: console.error, info() {}, debug() {}, verbose() {} });
context.setGlobalContextManager(new AsyncContextManager().enable());

const database = net.createServer((socket) => socket.on('data', (line) => socket.write(`rows for ${line}`)));

async function serve(bindCallback) {
  const doctor = new DiagnoseSpanProcessor();
  const provider = new BasicTracerProvider({ spanProcessors: [doctor] });
  const tracer = provider.getTracer('examples/diagnose');
  let connection; // opened by whichever request comes first
  const pending = [];

  function query(text, callback) {
    if (connection === undefined) {
      connection = net.connect(database.address().port, '127.0.0.1');
      connection.on('data', (rows) => pending.shift()(String(rows)));
    }
    pending.push(callback);
    connection.write(text);
  }

  for (const user of [1, 2]) {
    await new Promise((resolve) => tracer.startActiveSpan(`GET /users/${user}`, (request) => {
      const render = (rows) => {
        tracer.startSpan('render').end();
        request.end();
        resolve(rows);
      };
      query(`user ${user}`, bindCallback ? context.bind(context.active(), render) : render);
    }));
  }
  connection.end();
  await provider.shutdown(); // prints the summary
  return doctor.diagnoses.length;
}

database.listen(0, '127.0.0.1', async () => {
  console.log('--- callbacks as they come');
  const found = await serve(false);
  console.log(`--- callbacks bound with context.bind(context.active(), callback)`);
  const foundWhenBound = await serve(true);
  console.log(`findings: ${found} before the fix, ${foundWhenBound} after`);
  database.close();
});
