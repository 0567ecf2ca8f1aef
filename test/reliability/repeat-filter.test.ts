/** The distribution's filter of repeated diagnostics (src/distro/repeat-filter.ts). */
import type { DiagLogger } from '@opentelemetry/api';
import { RepeatFilter } from '../../src/distro/repeat-filter';

function sink(): DiagLogger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (...args: unknown[]) => { lines.push(`${level}: ${args.map(String).join(' ')}`); };
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), verbose: at('verbose') };
}

describe('RepeatFilter', () => {
  it('writes a message once and counts its repeats, numbers masked', () => {
    const out = sink();
    const filter = new RepeatFilter(out);
    for (let i = 0; i < 300; i++) filter.error(`connect ECONNREFUSED 127.0.0.1:${40000 + i}`);
    for (let i = 0; i < 5; i++) filter.info(`Export retry time ${900 + i}ms exceeds remaining timeout -${i}ms`);
    expect(out.lines).toEqual(['error: connect ECONNREFUSED 127.0.0.1:40000', 'info: Export retry time 900ms exceeds remaining timeout -0ms']);
    expect(filter.suppressed).toBe(299 + 4);
  });

  it('keeps levels and distinct messages apart', () => {
    const out = sink();
    const filter = new RepeatFilter(out);
    filter.warn('a problem');
    filter.error('a problem');
    filter.warn('another problem');
    filter.warn('a problem');
    expect(out.lines).toEqual(['warn: a problem', 'error: a problem', 'warn: another problem']);
  });

  it('never filters debug and verbose', () => {
    const out = sink();
    const filter = new RepeatFilter(out);
    for (let i = 0; i < 3; i++) { filter.debug('detail'); filter.verbose('more'); }
    expect(out.lines).toHaveLength(6);
  });

  it('summarize() writes one line with the counts and the spans dropped in all, then counts afresh', () => {
    const out = sink();
    const filter = new RepeatFilter(out);
    for (const n of [46, 122, 52]) filter.warn(`Dropped ${n} spans because maxQueueSize reached`);
    filter.error('export failed');
    filter.error('export failed');
    filter.summarize();
    expect(out.lines.slice(2)).toEqual([
      'warn: otel-async-context: repeated diagnostics not logged: 2x "Dropped 46 spans because maxQueueSize reached"; 1x "export failed". 220 spans were dropped in all because a queue was full.',
    ]);
    filter.summarize();
    expect(out.lines).toHaveLength(3);
  });

  it('writes a message again once its interval has passed, with the count since', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const out = sink();
      const filter = new RepeatFilter(out, 60_000);
      filter.error('export failed');
      filter.error('export failed');
      filter.error('export failed');
      jest.setSystemTime(1_000_000 + 59_999);
      filter.error('export failed');
      expect(out.lines).toEqual(['error: export failed']);
      jest.setSystemTime(1_000_000 + 60_000);
      filter.error('export failed');
      expect(out.lines).toEqual(['error: export failed', 'error: export failed (otel-async-context: 3 more times since it was last logged)']);
      expect(filter.suppressed).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('follows at most 256 distinct messages; beyond, new ones are written unfiltered', () => {
    const out = sink();
    const filter = new RepeatFilter(out);
    for (let i = 0; i < 256; i++) filter.warn(`problem ${'x'.repeat(i)}`);
    filter.warn('one more');
    filter.warn('one more');
    expect(out.lines.filter((l) => l === 'warn: one more')).toHaveLength(2);
  });
});
