/**
 * The context follows every async boundary a real service crosses, on both
 * engines: awaits (sequential and concurrent), timers, the microtask and
 * nextTick queues, thenables, promise combinators, async iteration, streams,
 * fs, zlib, dns, bound emitters and an AsyncResource-based pool (http: http.test.ts).
 */
import { readFile, promises as fsPromises } from 'node:fs';
import { lookup } from 'node:dns';
import { Readable, Transform, Writable, pipeline } from 'node:stream';
import { pipeline as pipelinePromise } from 'node:stream/promises';
import { gzip, gunzip, createGzip, createGunzip } from 'node:zlib';
import { EventEmitter } from 'node:events';
import { AsyncResource } from '../../src/hooks/index';
import { ENGINES, sleep } from '../engines';
import { ctx, labelOf, useManager } from './helpers';

describe.each(ENGINES)('context across async boundaries (%s engine)', (engine) => {
  const { manager, label, within } = useManager(engine);

  test('sequential awaits: each step is a sibling, the request context comes back after each', async () => {
    const trail: string[] = [];
    await within('request', async () => {
      for (const step of ['a', 'b', 'c']) {
        await manager().with(ctx(step, manager().active()), async () => {
          await sleep(1);
          trail.push(`${step}<-${labelOf(manager().active())}`);
        });
        trail.push(`after ${step}:${label()}`);
      }
    });
    expect(trail).toEqual(['a<-a', 'after a:request', 'b<-b', 'after b:request', 'c<-c', 'after c:request']);
  });

  test('concurrent requests never mix, whatever the interleaving', async () => {
    const mismatches: string[] = [];
    const requestCount = 25;
    await Promise.all(Array.from({ length: requestCount }, (_, i) => within(`req-${i}`, async () => {
      for (let hop = 0; hop < 6; hop++) {
        if ((i + hop) % 3 === 0) await sleep((i * 7 + hop) % 4);
        else if ((i + hop) % 3 === 1) await new Promise((r) => setImmediate(r));
        else await null;
        if (label() !== `req-${i}`) mismatches.push(`req-${i} hop ${hop} saw ${label()}`);
      }
    })));
    expect(mismatches).toEqual([]);
    expect(label()).toBe('root');
  });

  test('nested with() inside async functions restores the outer context', async () => {
    const seen = await within('outer', async () => {
      const inner = manager().with(ctx('inner'), async () => {
        await sleep(1);
        return label();
      });
      const here = label();
      await sleep(2);
      return [here, await inner, label()];
    });
    expect(seen).toEqual(['outer', 'inner', 'outer']);
  });

  test('setTimeout with equal delays across requests', async () => {
    const seen = await Promise.all(Array.from({ length: 10 }, (_, i) => within(`req-${i}`, () =>
      new Promise<string>((resolve) => setTimeout(() => resolve(label()), 5)))));
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `req-${i}`));
  });

  test('setInterval keeps the context on every tick', async () => {
    const seen = await within('interval', () => new Promise<string[]>((resolve) => {
      const ticks: string[] = [];
      const timer = setInterval(() => {
        ticks.push(label());
        if (ticks.length === 3) {
          clearInterval(timer);
          resolve(ticks);
        }
      }, 1);
    }));
    expect(seen).toEqual(['interval', 'interval', 'interval']);
  });

  test('setImmediate, process.nextTick and queueMicrotask', async () => {
    const seen = await within('queued', () => Promise.all([
      new Promise<string>((r) => setImmediate(() => r(label()))),
      new Promise<string>((r) => process.nextTick(() => r(label()))),
      new Promise<string>((r) => queueMicrotask(() => r(label()))),
    ]));
    expect(seen).toEqual(['queued', 'queued', 'queued']);
  });

  test('custom thenables', async () => {
    const seen = await within('thenable', async () => {
      const inThen: string[] = [];
      const thenable = {
        then(resolve: (value: string) => void) {
          inThen.push(label());
          setTimeout(() => resolve(label()), 1);
        },
      };
      const resolvedWith = await thenable;
      return [...inThen, resolvedWith, label()];
    });
    expect(seen).toEqual(['thenable', 'thenable', 'thenable']);
  });

  test('Promise.all and Promise.race keep each branch in its own context', async () => {
    const branch = (name: string, ms: number) => manager().with(ctx(name), async () => {
      await sleep(ms);
      return label();
    });
    const [all, race, after] = await within('request', async () => [
      await Promise.all([branch('a', 3), branch('b', 1), branch('c', 2)]),
      await Promise.race([branch('slow', 20), branch('fast', 1)]),
      label(),
    ]);
    expect(all).toEqual(['a', 'b', 'c']);
    expect(race).toBe('fast');
    expect(after).toBe('request');
  });

  test('async generators and for await', async () => {
    async function* numbers() {
      for (let i = 0; i < 3; i++) {
        await sleep(1);
        yield `${i}:${label()}`;
      }
    }
    const seen = await within('gen', async () => {
      const out: string[] = [];
      for await (const item of numbers()) out.push(`${item}/${label()}`);
      return out;
    });
    expect(seen).toEqual(['0:gen/gen', '1:gen/gen', '2:gen/gen']);
  });

  test('streams: pipeline and Readable.from', async () => {
    const seen = await within('stream', () => new Promise<string[]>((resolve, reject) => {
      const trail: string[] = [];
      pipeline(
        Readable.from((async function* () {
          yield 'a';
          await sleep(1);
          yield 'b';
        })()),
        new Transform({
          transform(chunk, _enc, done) {
            trail.push(`transform ${chunk}:${label()}`);
            setImmediate(() => done(null, chunk));
          },
        }),
        new Writable({
          write(chunk, _enc, done) {
            trail.push(`write ${chunk}:${label()}`);
            done();
          },
        }),
        (err) => {
          if (err) return reject(err);
          trail.push(`done:${label()}`);
          resolve(trail);
        },
      );
    }));
    expect(seen).toEqual(['transform a:stream', 'write a:stream', 'transform b:stream', 'write b:stream', 'done:stream']);
  });

  test('stream/promises pipeline of zlib streams', async () => {
    const seen = await within('zstream', async () => {
      const chunks: string[] = [];
      await pipelinePromise(Readable.from(['hello ', 'world']), createGzip(), createGunzip(), new Writable({
        write(chunk, _enc, done) {
          chunks.push(`${chunk}:${label()}`);
          done();
        },
      }));
      return [chunks.join(''), label()];
    });
    expect(seen[0]).toMatch(/^hello world:zstream$|^hello :zstreamworld:zstream$/);
    expect(seen[1]).toBe('zstream');
  });

  test('fs callbacks and promises', async () => {
    const seen = await within('fs', async () => {
      const fromCallback = await new Promise<string>((resolve, reject) => readFile(__filename, (err) => (err ? reject(err) : resolve(label()))));
      await fsPromises.readFile(__filename);
      const afterPromise = label();
      const handle = await fsPromises.open(__filename, 'r');
      await handle.close();
      return [fromCallback, afterPromise, label()];
    });
    expect(seen).toEqual(['fs', 'fs', 'fs']);
  });

  test('zlib callbacks', async () => {
    const seen = await within('zlib', () => new Promise<string[]>((resolve, reject) => {
      gzip('payload', (err, zipped) => {
        if (err) return reject(err);
        const afterGzip = label();
        gunzip(zipped, (err2, plain) => (err2 ? reject(err2) : resolve([afterGzip, label(), String(plain)])));
      });
    }));
    expect(seen).toEqual(['zlib', 'zlib', 'payload']);
  });

  test('dns.lookup of localhost', async () => {
    const seen = await Promise.all(['a', 'b'].map((name) => within(name, () => new Promise<string>((resolve, reject) => {
      lookup('localhost', (err) => (err ? reject(err) : resolve(label())));
    }))));
    expect(seen).toEqual(['a', 'b']);
  });

  test('a bound EventEmitter emitted from another context', async () => {
    const ee = new EventEmitter();
    const seen = within('listener', () => {
      manager().bind(manager().active(), ee);
      return new Promise<string[]>((resolve) => {
        const trail: string[] = [];
        ee.on('data', () => trail.push(`on:${label()}`));
        ee.once('end', () => {
          trail.push(`once:${label()}`);
          resolve(trail);
        });
      });
    });
    within('emitter', () => setImmediate(() => {
      ee.emit('data');
      ee.emit('end');
      ee.emit('end');
    }));
    expect(await seen).toEqual(['on:listener', 'once:listener']);
  });

  test('an AsyncResource-based pool runs each task in the context that queued it', async () => {
    class TaskRun extends AsyncResource {
      constructor(readonly task: () => string, readonly done: (result: string) => void) {
        super('PoolTask');
      }
      run(): void {
        this.runInAsyncScope(() => this.done(this.task()));
        this.emitDestroy();
      }
    }
    /** Runs queued tasks two at a time from its own timers (in the pool's context). */
    class Pool {
      readonly #queue: TaskRun[] = [];
      submit(task: () => string): Promise<string> {
        return new Promise((resolve) => this.#queue.push(new TaskRun(task, resolve)));
      }
      start(): void {
        const timer = setInterval(() => {
          for (const run of this.#queue.splice(0, 2)) run.run();
          if (this.#queue.length === 0) clearInterval(timer);
        }, 1);
      }
    }
    const pool = within('pool', () => new Pool());
    const results = Promise.all([1, 2, 3, 4, 5].map((i) => within(`task-${i}`, () => pool.submit(() => `${i}:${label()}`))));
    within('pool', () => pool.start());
    expect(await results).toEqual(['1:task-1', '2:task-2', '3:task-3', '4:task-4', '5:task-5']);
  });
});
