/**
 * The doctor in the distribution: `start({ diagnose })` and
 * `OTEL_ASYNC_CONTEXT_DIAGNOSE` add it (the option wins), a bad value is
 * reported and means off, and its findings reach the exported spans and diag.
 */
import { context, trace } from '@opentelemetry/api';
import { readConfig } from '../../src/distro/config';
import { sanitizeOptions } from '../../src/distro/validate-options';
import { diagnoseSpanProcessorFromEnv, DiagnoseSpanProcessor, DiagnosisAttribute } from '../../src/diagnose/index';
import { capturingLogger, testOptions, withDistro, withEnv } from '../distro/helpers';

test('OTEL_ASYNC_CONTEXT_DIAGNOSE: true/false in any case, unset and empty are off; a bad value is a problem and off', () => {
  const diagnose = (value: string | undefined, options = {}) => {
    const { config, problems } = readConfig(options, { OTEL_ASYNC_CONTEXT_DIAGNOSE: value });
    return { diagnose: config.diagnose, problems };
  };
  expect(diagnose('true')).toEqual({ diagnose: true, problems: [] });
  expect(diagnose(' TRUE ')).toEqual({ diagnose: true, problems: [] });
  expect(diagnose('false')).toEqual({ diagnose: false, problems: [] });
  expect(diagnose(undefined)).toEqual({ diagnose: false, problems: [] });
  expect(diagnose('')).toEqual({ diagnose: false, problems: [] });
  expect(diagnose('yes')).toEqual({ diagnose: false, problems: [`OTEL_ASYNC_CONTEXT_DIAGNOSE must be 'true' or 'false', got "yes"; using false`] });
  expect(diagnose('true', { diagnose: false })).toEqual({ diagnose: false, problems: [] });
  expect(diagnose(undefined, { diagnose: true })).toEqual({ diagnose: true, problems: [] });
});

test('the diagnose option must be a boolean: anything else is dropped and reported', () => {
  expect(sanitizeOptions({ diagnose: 'yes' })).toEqual({ options: {}, early: [], problems: ['option diagnose must be a boolean, got "yes"; ignored'] });
  expect(sanitizeOptions({ diagnose: true }).options).toEqual({ diagnose: true });
});

test('diagnoseSpanProcessorFromEnv: a processor only when on', () => {
  expect(diagnoseSpanProcessorFromEnv({ OTEL_ASYNC_CONTEXT_DIAGNOSE: 'true' })).toBeInstanceOf(DiagnoseSpanProcessor);
  expect(diagnoseSpanProcessorFromEnv({})).toBeUndefined();
});

test.each([
  ['the environment', { OTEL_ASYNC_CONTEXT_DIAGNOSE: 'true' }, {}],
  ['the option', {}, { diagnose: true }],
])('turned on by %s, the distribution reports a leaked context on the span and through diag', async (_, env, option) => {
  const logger = capturingLogger();
  await withEnv(env, async () => {
    const o = testOptions({ diagLogger: logger, ...option });
    await withDistro(o, async (d) => {
      expect(d.config?.diagnose).toBe(true);
      const tracer = trace.getTracer('diagnose-distro');
      const request = tracer.startSpan('request');
      const fired = new Promise<void>((resolve) => context.with(trace.setSpan(context.active(), request), () =>
        setTimeout(() => {
          tracer.startSpan('late').end();
          resolve();
        }, 1)));
      request.end();
      await fired;
      await d.forceFlush();
      const late = o.memory.getFinishedSpans().find((s) => s.name === 'late');
      expect(late?.attributes[DiagnosisAttribute.diagnosis]).toBe('leaked_context');
    });
  });
  expect(logger.messages.filter((m) => m.includes("doctor: leaked context: span 'late'"))).toHaveLength(1);
});
