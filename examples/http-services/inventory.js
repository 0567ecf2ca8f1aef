// The inventory service. No tracing code: run it as
//   OTEL_SERVICE_NAME=inventory node --require otel-async-context/register inventory.js
// GET /stock/:item  checks its stock file (fs), looks the count up (promise + timer)
//                   while it asks the frontend for the price (HTTP back to the caller),
//                   reserves the item through an EventEmitter, answers JSON.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const { EventEmitter } = require('node:events');

const port = Number(process.env.INVENTORY_PORT ?? 3002);
const frontendUrl = process.env.FRONTEND_URL ?? 'http://127.0.0.1:3001';
const counts = { 42: 3, 7: 0 };

const reservations = new EventEmitter();
reservations.on('reserve', (item, reply) => {
  setTimeout(() => reply(counts[item] > 0 ? `R-${item}-${Date.now() % 1000}` : null), 1);
});

function lookup(item) {
  return new Promise((resolve) => setTimeout(() => resolve(counts[item] ?? 0), 3));
}

async function stock(item) {
  await fs.promises.stat(__filename);
  const [count, price] = await Promise.all([
    lookup(item),
    fetch(`${frontendUrl}/prices/${encodeURIComponent(item)}`).then((r) => r.json()),
  ]);
  const reservation = await new Promise((resolve) => reservations.emit('reserve', item, resolve));
  return { inStock: count, price: price.price, reservation };
}

const server = http.createServer((req, res) => {
  const [, route, item] = req.url.split('/');
  if (route !== 'stock' || !item) {
    res.writeHead(404).end();
    return;
  }
  stock(item).then(
    (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
    (err) => res.writeHead(502).end(err.message),
  );
});

server.listen(port, '127.0.0.1', () => {
  console.log(`inventory listening on http://127.0.0.1:${server.address().port}`);
});
