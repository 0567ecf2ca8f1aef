// A small shop service: express, PostgreSQL (pg) and Redis (node-redis), with no tracing code.
// Tracing comes from otel-async-context/register:
//
//   npm run example:shop
//   node --require otel-async-context/register examples/shop/server.js           # a tour, then exit
//   PORT=3000 node --require otel-async-context/register examples/shop/server.js --serve
//
// Routes: GET /products, GET /products/:id (cached in Redis), POST /orders {productId, quantity}.
// Without --serve it sends itself a short tour of requests, prints the answers and stops; the
// distribution prints each request's trace as a tree (or sends it to OTEL_EXPORTER_OTLP_ENDPOINT).
'use strict';
const express = require('express');
const { Store } = require('./store');

const store = new Store();
const app = express();
app.use(express.json());

app.get('/products', async (req, res) => res.json(await store.listProducts()));

app.get('/products/:id', async (req, res) => {
  const product = await store.product(Number(req.params.id));
  if (product === undefined) res.status(404).json({ error: 'no such product' });
  else res.json(product);
});

app.post('/orders', async (req, res) => {
  const { productId, quantity } = req.body ?? {};
  if (!Number.isInteger(productId) || !Number.isInteger(quantity) || quantity < 1) {
    res.status(400).json({ error: 'productId and quantity must be integers, quantity >= 1' });
    return;
  }
  const order = await store.order(productId, quantity);
  if (order === undefined) res.status(409).json({ error: 'out of stock' });
  else res.status(201).json(order);
});

async function tour(base) {
  const call = async (method, path, body) => {
    const response = await fetch(base + path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    console.log(`${method} ${path} → ${response.status} ${await response.text()}`);
  };
  await call('GET', '/products');
  await call('GET', '/products/1');
  await call('GET', '/products/1');
  await call('POST', '/orders', { productId: 1, quantity: 2 });
}

store.open().then(() => {
  const server = app.listen(Number(process.env.PORT) || 0, '127.0.0.1', async () => {
    const base = `http://127.0.0.1:${server.address().port}`;
    if (process.argv.includes('--serve')) {
      console.log(`shop listening on ${base}`);
      process.once('SIGTERM', () => server.close(() => store.close()));
      return;
    }
    try {
      await tour(base);
    } finally {
      server.close();
      await store.close({ drop: process.env.SHOP_DROP === '1' });
    }
  });
});
