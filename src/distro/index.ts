/** `distro/`: one-call SDK setup (see docs/configuration.md). */
export { start, type Distro } from './start';
export type {
  InstrumentationConfigMap,
  OtlpOptions,
  OtlpProtocol,
  PropagatorName,
  ShutdownOptions,
  StartOptions,
  TracesExporterName,
} from './options';
export { readConfig, type DistroConfig, type ConfigResult, type Env } from './config';
export { ConsoleTreeExporter, type ConsoleTreeExporterOptions } from './console-tree-exporter';
