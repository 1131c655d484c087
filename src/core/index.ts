// The core's public surface: front ends, the analyzer, the layer kinds, the engine and the runner.
// Pure: no vscode, no Node-only modules (its tsconfig has neither DOM nor Node types). The host,
// the CLI and the webview import from here, not from the rooms inside.

import { analyzeModel } from './analyze/analyzer';
import type { AnalysisOptions, AnalysisResult } from './analyze/analysis-types';
import { parseYamlModel } from './frontends/yaml';

export * from './analyze/analysis-types';
export * from './types';
export { analyzeModel, describeShape, partialTotalsNote, setParamFix, toDisplayShape, totalsStatus, INPUT_NAME } from './analyze/analyzer';
export { formatDiagnosticLine, reportJson, reportTable, stringifyJson, terminalSafe, type FileReport } from './analyze/report';
export {
  analyzeSource,
  looksLikeTfjs,
  modelFileKind,
  parseTsModel,
  parseYamlModel,
  type ModelFileKind,
  type TypeScriptModule,
} from './frontends';
export { serializeModelSpec, deserializeModelSpec } from './frontends/serialize-spec';
export { buildUltralyticsModel, isUltralyticsYaml, type UltralyticsModel, type UltralyticsSummary } from './frontends/ultralytics';
export { formatInteger } from './format';
export { computeWindowGeometry, computeWindowAxis, computeTransposedAxis, exactPaddings, adaptiveWindow } from './geometry';
export type { WindowAxis, WindowGeometry, TransposedAxis } from './geometry';
export { KINDS, LAYER_KINDS, getLayerKind, kindsFor, paramTensorsOf, type KindName } from './kinds';
export type { LayerKindDef, ParamSchema, ParamType } from './kinds';
export {
  asKindLayer,
  KERNELS,
  kernelFor,
  type BackwardResult,
  type Epilogue,
  type ForwardResult,
  type KernelContext,
  type LayerKernel,
  type ParamSpec,
  type Params,
} from './kinds/kernels';
export type { KindLayer } from './kinds/kernel-types';
export * from './engine';
export * from './run';

/** Parses and analyzes a `*.cnn.yaml` document. Never throws on bad input. */
export function analyzeYaml(text: string, options?: AnalysisOptions): AnalysisResult {
  const parsed = parseYamlModel(text);
  if (!parsed.model) return { diagnostics: parsed.diagnostics };
  return analyzeModel(parsed.model, parsed.diagnostics, options);
}
