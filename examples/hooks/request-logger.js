// The reference's AsyncLocalStorage request logger, on otel-async-context/hooks.
// Run: node examples/hooks/request-logger.js   (OTEL_ASYNC_CONTEXT_ENGINE=hooks to switch engine)
const http = require('node:http');
const { AsyncLocalStorage } = require('otel-async-context/hooks');

const requestId = new AsyncLocalStorage({ name: 'request-id' });

function log(msg) {
  const id = requestId.getStore();
  console.log(`${id !== undefined ? id : '-'}: ${msg}`);
}

let idSeq = 0;
const server = http.createServer((req, res) => {
  requestId.run(idSeq++, () => {
    log(`start ${req.url}`);
    setImmediate(() => {
      log('finish');
      res.end();
    });
  });
});

server.listen(0, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  await Promise.all(['/a', '/b'].map((path) => fetch(url + path).then((r) => r.text())));
  log(`served ${idSeq} requests on the ${requestId.engine} engine`);
  server.close();
});
