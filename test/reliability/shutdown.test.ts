/**
 * disable() of the context manager and shutdown() of the distribution in the
 * middle of traffic (1,000 of 2,000 requests done, 50 in flight): every request
 * still succeeds, nothing is thrown or left as an unhandled rejection, no hook
 * is left enabled once the app has stopped (channelStats() all zero), and the
 * child process exits by itself: no timer or socket of ours keeps it alive.
 */
import { ENGINES } from '../engines';
import { startReceiver } from '../../bench/soak-receiver.mjs';
import { runFixture } from './helpers';

const cases = ENGINES.flatMap((engine) => [[engine, 'disable'], [engine, 'shutdown']] as const);

describe.each(cases)('%s engine: %s() in the middle of traffic', (engine, what) => {
  let run: Awaited<ReturnType<typeof runFixture>>;

  beforeAll(async () => {
    // shutdown() meets a collector that answers after the exporter's timeout: exports are in flight.
    const receiver = await startReceiver('slow', { slowMs: 1000 });
    try {
      run = await runFixture('shutdown-under-traffic.js', [engine, what, receiver.url], {}, 30_000);
    } finally {
      await receiver.close();
    }
  }, 60_000);

  it('exits by itself with code 0 (not killed), nothing on stderr', () => {
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(run.result).toMatchObject({ engine, what, exitCode: 0 });
  });

  it('every request succeeded, before and after', () => {
    expect({ ok: run.result.ok, failed: run.result.failed }).toEqual({ ok: 2000, failed: 0 });
  });

  it('nothing thrown, no unhandled rejection', () => {
    expect(run.result.problems).toEqual([]);
  });

  it('no hook left enabled at the end', () => {
    expect(run.result.hooksEnabledAtEnd).toEqual([]);
  });
});
