// The shop's data: products and orders in PostgreSQL, product pages cached in Redis.
// The tables are the shop's own (SHOP_TABLE, default `shop`: tables shop_products and
// shop_orders in the database of PGDATABASE, default `test`), created and seeded at start.
'use strict';
const pg = require('pg');
const { createClient } = require('redis');

const CACHE_SECONDS = 30;

class Store {
  constructor({ table = process.env.SHOP_TABLE || 'shop' } = {}) {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new TypeError(`SHOP_TABLE must be a lowercase SQL name, got ${table}`);
    this.products = `${table}_products`;
    this.orders = `${table}_orders`;
    this.cacheKey = (id) => `${table}:product:${id}`;
    this.pool = new pg.Pool({
      host: process.env.PGHOST || '127.0.0.1',
      user: process.env.PGUSER || 'postgres',
      database: process.env.PGDATABASE || 'test',
      max: 4,
    });
    this.redis = createClient({ url: process.env.REDIS_URL || 'redis://127.0.0.1:6379' });
  }

  /** Connects to Redis and creates and seeds the tables (idempotent). */
  async open() {
    await this.redis.connect();
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${this.products} (id int PRIMARY KEY, name text NOT NULL, price numeric NOT NULL, stock int NOT NULL)`,
    );
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${this.orders} (id serial PRIMARY KEY, product_id int NOT NULL, quantity int NOT NULL)`,
    );
    await this.pool.query(
      `INSERT INTO ${this.products} VALUES (1, 'towel', 12.5, 100), (2, 'teapot', 30, 20), (3, 'kettle', 45, 5)
       ON CONFLICT (id) DO NOTHING`,
    );
  }

  async listProducts() {
    const { rows } = await this.pool.query(`SELECT id, name, price FROM ${this.products} ORDER BY id`);
    return rows;
  }

  /** One product, from the cache when it is there. */
  async product(id) {
    const cached = await this.redis.get(this.cacheKey(id));
    if (cached !== null) return { ...JSON.parse(cached), cached: true };
    const { rows } = await this.pool.query(`SELECT id, name, price, stock FROM ${this.products} WHERE id = $1`, [id]);
    if (rows.length === 0) return undefined;
    await this.redis.set(this.cacheKey(id), JSON.stringify(rows[0]), { EX: CACHE_SECONDS });
    return { ...rows[0], cached: false };
  }

  /** Places an order in one transaction; the product's cache entry is dropped. */
  async order(productId, quantity) {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rowCount } = await client.query(
        `UPDATE ${this.products} SET stock = stock - $2 WHERE id = $1 AND stock >= $2`,
        [productId, quantity],
      );
      if (rowCount === 0) {
        await client.query('ROLLBACK');
        return undefined;
      }
      const { rows } = await client.query(
        `INSERT INTO ${this.orders} (product_id, quantity) VALUES ($1, $2) RETURNING id`,
        [productId, quantity],
      );
      await client.query('COMMIT');
      await this.redis.del(this.cacheKey(productId));
      return { orderId: rows[0].id, productId, quantity };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /** Drops the tables and cache entries (SHOP_DROP=1, for tests), then closes the connections. */
  async close({ drop = false } = {}) {
    if (drop) {
      await this.pool.query(`DROP TABLE IF EXISTS ${this.orders}, ${this.products}`);
      await this.redis.del([1, 2, 3].map(this.cacheKey));
    }
    await this.pool.end();
    await this.redis.quit();
  }
}

module.exports = { Store };
