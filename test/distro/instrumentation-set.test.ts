/**
 * The default instrumentations: upstream's set and rules
 * (OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS),
 * the start() options that add to or replace them, and bad names.
 */
import { context, diag, propagation, trace } from '@opentelemetry/api';
import { InstrumentationBase } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { start } from '../../src/distro/index';
import { NODE_INSTRUMENTATIONS, OFF_BY_DEFAULT, selectInstrumentations } from '../../src/distro/instrumentation-set';
import { loadInstrumentations } from '../../src/distro/instrumentations';
import { capturingLogger, testOptions, withEnv } from './helpers';

const ALL = NODE_INSTRUMENTATIONS.map(([suffix]) => suffix);
const names = (env: Record<string, string>, configs = {}) =>
  selectInstrumentations(configs, env).selected.map((s) => s.packageName.replace('@opentelemetry/instrumentation-', ''));

afterEach(() => {
  trace.disable();
  context.disable();
  propagation.disable();
  diag.disable();
});

describe('the set', () => {
  it('is the set of @opentelemetry/auto-instrumentations-node, and each entry loads as the class named', () => {
    const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
    const upstream = getNodeAutoInstrumentations({
      '@opentelemetry/instrumentation-fs': { enabled: true },
      '@opentelemetry/instrumentation-host-metrics': { enabled: true },
    }) as InstrumentationBase[];
    try {
      expect(upstream.map((i) => i.instrumentationName).sort()).toEqual(ALL.map((s) => `@opentelemetry/instrumentation-${s}`).sort());
    } finally {
      for (const i of upstream) i.disable();
    }
    const ours = loadInstrumentations(selectInstrumentations({}, { OTEL_NODE_ENABLED_INSTRUMENTATIONS: ALL.join(',') }).selected, new Set());
    try {
      expect(ours.map((i) => i.instrumentationName)).toEqual(ALL.map((s) => `@opentelemetry/instrumentation-${s}`));
    } finally {
      for (const i of ours) i.disable();
    }
  });
});

describe('selectInstrumentations (upstream rules)', () => {
  it('by default: everything but fs, host-metrics and runtime-node', () => {
    expect(names({})).toEqual(ALL.filter((s) => !OFF_BY_DEFAULT.includes(s)));
    expect(names({})).toEqual(expect.arrayContaining(['http', 'undici', 'express', 'pg', 'mysql2', 'ioredis', 'redis']));
    expect(names({})).not.toEqual(expect.arrayContaining(['fs']));
  });

  it('OTEL_NODE_ENABLED_INSTRUMENTATIONS: only those, fs included when named; spaces trimmed', () => {
    expect(names({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: ' http, pg ,fs' })).toEqual(['fs', 'http', 'pg']);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS: removes from the defaults, and wins over the enabled list', () => {
    expect(names({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'dns,net' })).toEqual(ALL.filter((s) => !OFF_BY_DEFAULT.includes(s) && s !== 'dns' && s !== 'net'));
    expect(names({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,pg', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg' })).toEqual(['http']);
  });

  it('an `enabled` in the option wins over both variables; the rest of an entry is the config', () => {
    const env = { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg' };
    const configs = {
      '@opentelemetry/instrumentation-pg': { enabled: true, enhancedDatabaseReporting: true },
      '@opentelemetry/instrumentation-http': { enabled: false },
    };
    const { selected } = selectInstrumentations(configs, env);
    expect(selected).toEqual([
      { packageName: '@opentelemetry/instrumentation-pg', className: 'PgInstrumentation', config: configs['@opentelemetry/instrumentation-pg'] },
    ]);
  });

  it('unknown names: one problem per variable or option, the known names still apply', () => {
    const { selected, problems } = selectInstrumentations(
      { '@opentelemetry/instrumentation-nope': {}, pg: {} },
      { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,htpp,,express', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'nope' },
    );
    expect(selected.map((s) => s.packageName)).toEqual(['@opentelemetry/instrumentation-express', '@opentelemetry/instrumentation-http']);
    expect(problems).toEqual([
      expect.stringMatching(/^option defaultInstrumentations: unknown instrumentation "@opentelemetry\/instrumentation-nope", "pg" ignored$/),
      expect.stringMatching(/^OTEL_NODE_ENABLED_INSTRUMENTATIONS: unknown instrumentation "htpp" ignored \(known: amqplib, .*winston\)$/),
      expect.stringMatching(/^OTEL_NODE_DISABLED_INSTRUMENTATIONS: unknown instrumentation "nope" ignored/),
    ]);
  });
});

describe('start() and its instrumentations', () => {
  it('turns on the defaults from the environment and reports an unknown name once, without failing', async () => {
    const logger = capturingLogger();
    await withEnv({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,pg,nosuch', OTEL_NODE_DISABLED_INSTRUMENTATIONS: undefined }, async () => {
      const d = start(testOptions({ defaultInstrumentations: true, diagLogger: logger }));
      try {
        expect(d.instrumentations.map((i) => i.instrumentationName)).toEqual(['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-pg']);
        expect(d.instrumentations.every((i) => i.getConfig().enabled)).toBe(true);
        expect(logger.messages).toEqual([expect.stringMatching(/OTEL_NODE_ENABLED_INSTRUMENTATIONS: unknown instrumentation "nosuch" ignored/)]);
      } finally {
        await d.shutdown();
      }
    });
  });

  it('`instrumentations` adds to the defaults; one with a default\'s name takes its place', async () => {
    const own = new HttpInstrumentation({ ignoreIncomingRequestHook: () => true });
    await withEnv({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,undici', OTEL_NODE_DISABLED_INSTRUMENTATIONS: undefined }, async () => {
      const d = start(testOptions({ defaultInstrumentations: true, instrumentations: [own], diagLogger: null }));
      try {
        expect(d.instrumentations.map((i) => i.instrumentationName)).toEqual(['@opentelemetry/instrumentation-undici', '@opentelemetry/instrumentation-http']);
        expect(d.instrumentations[1]).toBe(own);
      } finally {
        await d.shutdown();
      }
    });
  });

  it('`defaultInstrumentations: false` leaves only the given ones; a config map configures the defaults', async () => {
    const own = new HttpInstrumentation();
    const d = start(testOptions({ defaultInstrumentations: false, instrumentations: [own], diagLogger: null }));
    try {
      expect(d.instrumentations).toEqual([own]);
    } finally {
      await d.shutdown();
    }
    await withEnv({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'pg', OTEL_NODE_DISABLED_INSTRUMENTATIONS: undefined }, async () => {
      const d2 = start(testOptions({
        defaultInstrumentations: { '@opentelemetry/instrumentation-pg': { enhancedDatabaseReporting: true } },
        diagLogger: null,
      }));
      try {
        expect(d2.instrumentations.map((i) => [i.instrumentationName, (i.getConfig() as { enhancedDatabaseReporting?: boolean }).enhancedDatabaseReporting])).toEqual([
          ['@opentelemetry/instrumentation-pg', true],
        ]);
      } finally {
        await d2.shutdown();
      }
    });
  });

  it('a bad defaultInstrumentations option is reported and the defaults apply', async () => {
    const logger = capturingLogger();
    await withEnv({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'dns', OTEL_NODE_DISABLED_INSTRUMENTATIONS: undefined }, async () => {
      const d = start(testOptions({ defaultInstrumentations: 'yes' as never, diagLogger: logger }));
      try {
        expect(d.instrumentations.map((i) => i.instrumentationName)).toEqual(['@opentelemetry/instrumentation-dns']);
        expect(logger.messages).toEqual([expect.stringMatching(/option defaultInstrumentations must be a boolean or an object/)]);
      } finally {
        await d.shutdown();
      }
    });
  });
});
