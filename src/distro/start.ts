/**
 * `start()`: the one-call SDK setup. Reads options and OTEL_* variables,
 * registers the tracer provider, our context manager and the W3C propagators
 * globally (each only where no other SDK holds it), turns on the upstream Node
 * instrumentation set (instrumentation-set.ts) and the application's own, puts
 * every exporter behind a SerialExporter, and installs the exit handlers.
 * Everything it does is undone by the `shutdown()` it returns.
 */
import {
  context,
  diag,
  DiagLogLevel,
  propagation,
  ProxyTracerProvider,
  trace,
  type TracerProvider,
} from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AsyncContextManager } from '../context/index';
import { DiagnoseSpanProcessor } from '../diagnose/index';
import { LifecycleSpanProcessor, lifecycleOptionsFromEnv, type LifecycleOptions } from '../lifecycle/index';
import { DEFAULT_SHUTDOWN, isDisabled, readConfig, type DistroConfig } from './config';
import { createExporters } from './exporters';
import { selectInstrumentations } from './instrumentation-set';
import { enableInstrumentations, loadInstrumentations, withContextFixes } from './instrumentations';
import type { StartOptions } from './options';
import { createPropagator } from './propagators';
import { createResource } from './resource';
import { EndedSpanCounter, ExitHandlers, settleWithin } from './shutdown';
import { ExitFlush, type ExitTarget } from './exit-flush';
import { directExitRoute, exitRouteFor } from './exit-route';
import { SerialExporter } from './serial-exporter';
import { UnrefScope } from './unref-scope';
import { ReportOnceLogger } from './diagnostics';
import { escapeControl } from './escape-control';
import { openOutput, OutputDiagLogger, STDERR } from './output';
import { SafeDiagLogger } from './safe-diag-logger';
import { collectSecrets, Redactor } from './secrets';
import { RepeatFilter } from './repeat-filter';
import { sanitizeOptions } from './validate-options';
import {
  alreadyStartedMessage,
  foreignSdkMessage,
  GLOBALS,
  hasDiagLogger,
  markRunning,
  markStopped,
  runningDistro,
  takenGlobals,
} from './start-once';

/** What {@link start} returns. */
export interface Distro {
  /** False when OTEL_SDK_DISABLED (or `disabled: true`) made `start()` a no-op. */
  readonly enabled: boolean;
  /** The SDK's provider (registered globally), or a no-op provider when disabled. */
  readonly tracerProvider: TracerProvider;
  /** The settings in effect (undefined when disabled). */
  readonly config: DistroConfig | undefined;
  /** The instrumentations registered: the defaults that are on, then the application's. */
  readonly instrumentations: readonly Instrumentation[];
  /** Exports every span that has ended so far; resolves within the shutdown deadline. */
  forceFlush(): Promise<void>;
  /**
   * Flushes and stops: the provider is shut down, the instrumentations, exit
   * handlers, global registrations and the diag logger are removed. Resolves within
   * the shutdown deadline whatever the collector does, never rejects. Idempotent:
   * every call returns the same promise.
   */
  shutdown(): Promise<void>;
}

function inactiveDistro(tracerProvider: TracerProvider = new ProxyTracerProvider()): Distro {
  const done = Promise.resolve();
  return {
    enabled: false,
    tracerProvider,
    config: undefined,
    instrumentations: [],
    forceFlush: () => done,
    shutdown: () => done,
  };
}

function lifecycleOptions(option: StartOptions['lifecycle']): LifecycleOptions | undefined {
  if (option === undefined) return lifecycleOptionsFromEnv();
  if (option === false) return undefined;
  return option === true ? {} : option;
}

/**
 * Reports `message` where the user will see it when nothing of ours set up a logger:
 * through the global diag logger if there is one, else through the one `start()`
 * would have installed, at the configured level.
 */
function reportAlone(message: string, options: StartOptions): void {
  if (options.diagLogger === null || hasDiagLogger()) {
    diag.warn(message);
    return;
  }
  if (readConfig(options).config.logLevel >= DiagLogLevel.WARN) (options.diagLogger ?? new OutputDiagLogger(STDERR)).warn(message);
}

/**
 * Sets up tracing for this process and returns the handle that stops it.
 *
 * Once per process: when tracing is already started (by `otel-async-context/register`
 * or an earlier call) it returns the running handle; when another OpenTelemetry SDK
 * registered a tracer provider first it sets up nothing. Either case is reported
 * once through `diag`.
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
  // Before a logger is chosen: the options that would choose it are unusable. The value shown may be a URL.
  for (const problem of checked.early) diag.warn(`otel-async-context: ${escapeControl(new Redactor([]).redact(problem))}`);
  options = checked.options;
  if (isDisabled(options, process.env)) return inactiveDistro();
  const running = runningDistro();
  if (running !== undefined) {
    diag.warn(alreadyStartedMessage(Object.keys(options)));
    return running;
  }
  const taken = takenGlobals();
  if (taken.includes('trace')) {
    reportAlone(foreignSdkMessage(taken), options);
    return inactiveDistro(trace.getTracerProvider());
  }
  const { config, problems } = readConfig(options);

  // Ours go to stderr (or OTEL_ASYNC_CONTEXT_CONSOLE_FILE), never to the app's stdout: see output.ts.
  const { output, problem: outputProblem } = openOutput(config.consoleFile);
  const redactor = new Redactor(collectSecrets(process.env, options.otlp));
  // Repeats at run time (every failed export, every full queue) are counted, not logged: see repeat-filter.ts.
  const repeats = options.diagLogger === null ? undefined : new RepeatFilter(options.diagLogger ?? new OutputDiagLogger(output));
  const logger = repeats === undefined ? undefined : new ReportOnceLogger(repeats);
  // Outermost: no secret and no control character reaches any logger (safe-diag-logger.ts).
  if (logger) diag.setLogger(new SafeDiagLogger(logger, redactor), { logLevel: config.logLevel, suppressOverrideMessage: true });
  for (const problem of [...checked.problems, ...problems, ...(outputProblem ? [outputProblem] : [])]) {
    diag.warn(`otel-async-context: ${problem}`);
  }

  const counter = new EndedSpanCounter();
  const lifecycle = lifecycleOptions(options.lifecycle);
  const unrefScope = new UnrefScope();
  // Each exporter behind a SerialExporter (one export in flight), with its route for the exit flush.
  const targets: ExitTarget[] = [
    ...createExporters(config, { otlp: options.otlp, consoleStream: options.consoleStream ?? output, redactor }).map(
      (exporter) => ({ exporter, route: exitRouteFor(exporter) }),
    ),
    ...(options.spanExporters ?? []).map((exporter) => ({ exporter, route: directExitRoute(exporter) })),
  ].map(({ exporter, route }) => ({
    serial: new SerialExporter(exporter, { maxQueuedSpans: config.batch.maxQueueSize, unrefScope }),
    route,
  }));
  const spanProcessors: SpanProcessor[] = [
    counter,
    ...(config.diagnose ? [new DiagnoseSpanProcessor()] : []),
    ...(lifecycle !== undefined ? [new LifecycleSpanProcessor(lifecycle)] : []),
    ...(options.spanProcessors ?? []),
    ...targets.map(({ serial }) => new BatchSpanProcessor(serial, { ...config.batch })),
  ];
  const tracerProvider = new BasicTracerProvider({
    resource: createResource(options.serviceName, options.resourceAttributes),
    spanProcessors,
    // Checked by config.ts (span-limits.ts): the SDK would take a negative or infinite limit as it is.
    spanLimits: { ...config.limits.spanLimits },
    generalLimits: { ...config.limits.generalLimits },
    ...(options.sampler !== undefined && { sampler: options.sampler }),
  });

  // Only the globals nobody holds: the API would refuse the others (with a stack each).
  if (taken.length > 0) {
    diag.warn(
      `otel-async-context: a global ${taken.map((n) => GLOBALS[n]).join(' and ')} was already registered; ` +
        'start() keeps it and registers the rest',
    );
  }
  const contextManager = taken.includes('context') ? undefined : new AsyncContextManager({ engine: config.engine }).enable();
  if (contextManager) context.setGlobalContextManager(contextManager);
  const ownsPropagation = !taken.includes('propagation');
  if (ownsPropagation) propagation.setGlobalPropagator(createPropagator(config.propagators));
  trace.setGlobalTracerProvider(tracerProvider);

  const instrumentations = instrumentationsFor(options);
  const disableInstrumentations = enableInstrumentations(instrumentations, tracerProvider);

  const exitFlush = new ExitFlush(tracerProvider, targets);
  const deadline = config.shutdown === false ? DEFAULT_SHUTDOWN.timeoutMillis : config.shutdown.timeoutMillis;
  const drained = (): Promise<void> => Promise.all(targets.map(({ serial }) => serial.drained())).then(() => undefined);
  const forceFlush = (): Promise<void> => tracerProvider.forceFlush().then(drained);

  const abandonPending = (): number => targets.reduce((n, { serial }) => n + serial.takePending().length, 0);
  const reportLost = (what: string, spans: number, why: unknown): void =>
    diag.error(`otel-async-context: ${what} failed; its spans are lost`, why ?? `${spans} spans unconfirmed`);

  let stopped: Promise<void> | undefined;
  const exitHandlers =
    config.shutdown === false
      ? undefined
      : new ExitHandlers(config.shutdown, {
          flush: forceFlush,
          flushSync: () => exitFlush.flush(deadline),
          abandon: () => reportLost('the export at exit', abandonPending(), undefined),
          endedSpans: () => counter.ended,
          pendingSpans: () => exitFlush.pendingSpans,
        }).install();

  function shutdown(): Promise<void> {
    stopped ??= (async () => {
      exitHandlers?.uninstall();
      disableInstrumentations();
      try {
        // Bounded whatever the collector does; what is still unconfirmed then is reported lost.
        const inTime = await settleWithin(tracerProvider.shutdown(), deadline, 'the export at shutdown');
        const lost = abandonPending();
        const failure = targets.find(({ serial }) => serial.lastFailure !== undefined)?.serial.lastFailure;
        if (!inTime || lost > 0 || failure !== undefined) {
          reportLost('the last export at shutdown', lost, failure ?? (inTime ? undefined : `not done within ${deadline} ms`));
        }
      } finally {
        trace.disable();
        if (ownsPropagation) propagation.disable();
        if (contextManager) {
          context.disable();
          contextManager.disable();
        }
        unrefScope.close();
        repeats?.summarize();
        output.close();
        markStopped(distro);
        // start() installed the diag logger: shutdown() takes it away again.
        if (logger) diag.disable();
      }
    })();
    return stopped;
  }

  logger?.done();
  const distro: Distro = {
    enabled: true,
    tracerProvider,
    config,
    instrumentations,
    forceFlush: () => settleWithin(forceFlush(), deadline).then(() => undefined),
    shutdown,
  };
  markRunning(distro);
  return distro;
}

/** The defaults that are on (minus those the application replaces), then the application's. */
function instrumentationsFor(options: StartOptions): Instrumentation[] {
  const own = options.instrumentations ?? [];
  const setting = options.defaultInstrumentations ?? true;
  if (setting === false) return withContextFixes([...own]);
  const { selected, problems } = selectInstrumentations(setting === true ? {} : setting, process.env);
  for (const problem of problems) diag.warn(`otel-async-context: ${problem}`);
  const replaced = new Set(own.map((i) => i.instrumentationName));
  return withContextFixes([...loadInstrumentations(selected, replaced), ...own]);
}
