/**
 * `start()`: the one-call SDK setup. Reads options and OTEL_* variables,
 * registers the tracer provider, our context manager and the W3C propagators
 * globally, turns on the HTTP/fetch instrumentations, and installs the exit
 * handlers. Everything it does is undone by the `shutdown()` it returns.
 */
import {
  context,
  diag,
  DiagConsoleLogger,
  propagation,
  ProxyTracerProvider,
  trace,
  type TracerProvider,
} from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AsyncContextManager } from '../context/index';
import { LifecycleSpanProcessor, lifecycleOptionsFromEnv, type LifecycleOptions } from '../lifecycle/index';
import { isDisabled, readConfig, type DistroConfig } from './config';
import { createExporters } from './exporters';
import { defaultInstrumentations, enableInstrumentations } from './instrumentations';
import type { StartOptions } from './options';
import { createPropagator } from './propagators';
import { createResource } from './resource';
import { EndedSpanCounter, ExitHandlers } from './shutdown';
import { ReportOnceLogger } from './diagnostics';
import { RepeatFilter } from './repeat-filter';
import { sanitizeOptions } from './validate-options';

/** What {@link start} returns. */
export interface Distro {
  /** False when OTEL_SDK_DISABLED (or `disabled: true`) made `start()` a no-op. */
  readonly enabled: boolean;
  /** The SDK's provider (registered globally), or a no-op provider when disabled. */
  readonly tracerProvider: TracerProvider;
  /** The settings in effect (undefined when disabled). */
  readonly config: DistroConfig | undefined;
  /** Exports every span that has ended so far. */
  forceFlush(): Promise<void>;
  /**
   * Flushes and stops: the provider is shut down, the instrumentations, exit
   * handlers, and global registrations are removed. Idempotent: every call
   * returns the same promise.
   */
  shutdown(): Promise<void>;
}

function disabledDistro(): Distro {
  const done = Promise.resolve();
  return {
    enabled: false,
    tracerProvider: new ProxyTracerProvider(),
    config: undefined,
    forceFlush: () => done,
    shutdown: () => done,
  };
}

function lifecycleOptions(option: StartOptions['lifecycle']): LifecycleOptions | undefined {
  if (option === undefined) return lifecycleOptionsFromEnv();
  if (option === false) return undefined;
  return option === true ? {} : option;
}

/** Reports a global that was already taken; returns whether ours was registered. */
function registered(what: string, done: boolean): boolean {
  if (!done) diag.warn(`otel-async-context: a global ${what} was already registered; start() did not replace it`);
  return done;
}

/**
 * Sets up tracing for this process and returns the handle that stops it.
 *
 * @example
 * ```js
 * const { start } = require('otel-async-context');
 * const { tracerProvider, shutdown } = start({ serviceName: 'checkout' });
 * ```
 * @param options override the OTEL_* environment variables (docs/configuration.md).
 */
export function start(options?: StartOptions): Distro {
  const checked = sanitizeOptions(options);
  // Before a logger is chosen: the options that would choose it are unusable.
  for (const problem of checked.early) diag.warn(`otel-async-context: ${problem}`);
  options = checked.options;
  if (isDisabled(options, process.env)) return disabledDistro();
  const { config, problems } = readConfig(options);

  // Repeats at run time (every failed export, every full queue) are counted, not logged: see repeat-filter.ts.
  const repeats = options.diagLogger === null ? undefined : new RepeatFilter(options.diagLogger ?? new DiagConsoleLogger());
  const logger = repeats === undefined ? undefined : new ReportOnceLogger(repeats);
  if (logger) diag.setLogger(logger, { logLevel: config.logLevel, suppressOverrideMessage: true });
  for (const problem of [...checked.problems, ...problems]) diag.warn(`otel-async-context: ${problem}`);

  const counter = new EndedSpanCounter();
  const lifecycle = lifecycleOptions(options.lifecycle);
  const exporters = [
    ...createExporters(config, { otlp: options.otlp, consoleStream: options.consoleStream }),
    ...(options.spanExporters ?? []),
  ];
  const spanProcessors: SpanProcessor[] = [
    counter,
    ...(lifecycle !== undefined ? [new LifecycleSpanProcessor(lifecycle)] : []),
    ...(options.spanProcessors ?? []),
    ...exporters.map((exporter) => new BatchSpanProcessor(exporter, { ...config.batch })),
  ];
  const tracerProvider = new BasicTracerProvider({
    resource: createResource(options.serviceName, options.resourceAttributes),
    spanProcessors,
    ...(options.sampler !== undefined && { sampler: options.sampler }),
  });

  const contextManager = new AsyncContextManager({ engine: config.engine }).enable();
  const owns = {
    context: registered('context manager', context.setGlobalContextManager(contextManager)),
    propagation: registered('propagator', propagation.setGlobalPropagator(createPropagator(config.propagators))),
    trace: registered('tracer provider', trace.setGlobalTracerProvider(tracerProvider)),
  };
  const disableInstrumentations = enableInstrumentations(
    options.instrumentations ?? defaultInstrumentations(),
    tracerProvider,
  );

  let stopped: Promise<void> | undefined;
  const exitHandlers =
    config.shutdown === false
      ? undefined
      : new ExitHandlers(config.shutdown, {
          shutdown: () => shutdown(),
          forceFlush: () => tracerProvider.forceFlush(),
          endedSpans: () => counter.ended,
        }).install();

  function shutdown(): Promise<void> {
    stopped ??= (async () => {
      exitHandlers?.uninstall();
      disableInstrumentations();
      try {
        await tracerProvider.shutdown();
      } catch (error) {
        // Telemetry never throws into the app: a failed last export is reported, not rejected.
        diag.error('otel-async-context: the last export at shutdown failed; its spans are lost', error);
      } finally {
        if (owns.trace) trace.disable();
        if (owns.propagation) propagation.disable();
        if (owns.context) context.disable();
        contextManager.disable();
        repeats?.summarize();
      }
    })();
    return stopped;
  }

  logger?.done();
  return {
    enabled: true,
    tracerProvider,
    config,
    forceFlush: () => tracerProvider.forceFlush(),
    shutdown,
  };
}
