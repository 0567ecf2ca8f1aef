/**
 * No false report under load: the reliability load test's service (10,000
 * requests, 500 at a time, a seeded mix of async patterns, every span checked
 * against the parent its code expects) with the context doctor on. The spans
 * are all where they belong, so the doctor must have found nothing.
 */
import { ENGINES } from '../engines';
import { get, load, startServer } from '../reliability/load-client';

const REQUESTS = 10_000;
const CONCURRENCY = 500;
const SEED = 20260113;

describe.each(ENGINES)('the doctor under 10,000 requests, 500 at a time (%s engine)', (engine) => {
  let report: any;
  let served = 0;

  beforeAll(async () => {
    const server = await startServer('load-server.js', [engine, String(SEED), 'diagnose']);
    const result = await load(server.port, REQUESTS, CONCURRENCY, (i) => `/work?request=${i}`,
      (i, status, body) => status === 200 && body === `ok ${i}`);
    served = result.ok;
    report = JSON.parse((await get(server.port, `/__report?requests=${REQUESTS}`)).body);
    await server.exited(20_000);
  }, 150_000);

  it('every request was served and every span is under its expected parent', () => {
    expect({ served, bleed: report.bleed, checked: report.checked }).toEqual({ served: REQUESTS, bleed: 0, checked: report.spans });
    expect(report.spans).toBeGreaterThan(REQUESTS * 4);
  });

  it('the doctor reported nothing', () => {
    expect(report.diagnoses).toEqual([]);
  });
});
