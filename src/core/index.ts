// The analysis core's public surface. Pure: no vscode, no Node-only modules.

import { analyzeModel } from './analyze/analyzer';
import type { AnalysisOptions, AnalysisResult } from './analyze/analysis-types';
import { parseYamlModel } from './frontends/yaml';

export * from './analyze/analysis-types';
export * from './types';
export { analyzeModel, describeShape, setParamFix, toDisplayShape, INPUT_NAME } from './analyze/analyzer';
export { parseYamlModel } from './frontends/yaml';
export { computeWindowGeometry, computeWindowAxis, computeTransposedAxis, exactPaddings, adaptiveWindow } from './geometry';
export type { WindowAxis, WindowGeometry, TransposedAxis } from './geometry';
export { LAYER_KINDS, getLayerKind, kindsFor } from './kinds';
export type { LayerKindDef, ParamSchema, ParamType } from './kinds';

/** Parses and analyzes a `*.cnn.yaml` document. Never throws on bad input. */
export function analyzeYaml(text: string, options?: AnalysisOptions): AnalysisResult {
  const parsed = parseYamlModel(text);
  if (!parsed.model) return { diagnostics: parsed.diagnostics };
  return analyzeModel(parsed.model, parsed.diagnostics, options);
}
