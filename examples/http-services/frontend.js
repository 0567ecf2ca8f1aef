// The frontend service. No tracing code: run it as
//   OTEL_SERVICE_NAME=frontend node --require otel-async-context/register frontend.js
// GET /checkout/:item  reads the catalog (fs), waits (timer), asks inventory for stock
//                      (HTTP), confirms the order through an EventEmitter, answers JSON.
// GET /prices/:item    answers inventory's call back for the item's price.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const { readFile } = require('node:fs/promises');
const { EventEmitter, once } = require('node:events');
const { setTimeout: sleep } = require('node:timers/promises');
const path = require('node:path');

const port = Number(process.env.FRONTEND_PORT ?? 3001);
const inventoryUrl = process.env.INVENTORY_URL ?? 'http://127.0.0.1:3002';
const catalogFile = path.join(__dirname, 'catalog.json');

async function checkout(item) {
  const catalog = JSON.parse(await readFile(catalogFile, 'utf8'));
  await sleep(5);
  const response = await fetch(`${inventoryUrl}/stock/${encodeURIComponent(item)}`);
  const stock = await response.json();
  const orders = new EventEmitter();
  const confirmed = once(orders, 'confirmed');
  setImmediate(() => orders.emit('confirmed', { item, name: catalog[item]?.name ?? 'unknown', ...stock }));
  const [order] = await confirmed;
  return order;
}

function price(item, callback) {
  fs.readFile(catalogFile, 'utf8', (err, text) => {
    if (err) return callback(err);
    setTimeout(() => callback(null, { item, price: JSON.parse(text)[item]?.price ?? null }), 2);
  });
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const [, route, item] = req.url.split('/');
  if (route === 'checkout' && item) {
    checkout(item).then((order) => send(res, 200, order), (err) => send(res, 502, { error: err.message }));
  } else if (route === 'prices' && item) {
    price(item, (err, body) => (err ? send(res, 500, { error: err.message }) : send(res, 200, body)));
  } else {
    send(res, 404, { error: 'not found' });
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`frontend listening on http://127.0.0.1:${server.address().port}`);
});
