// The analysis core's public surface. Pure: no vscode, no Node-only modules.

import { analyzeModel } from './analyze';
import type { AnalysisOptions, AnalysisResult } from './analysis-types';
import { parseYamlModel } from './parse-yaml';

export * from './analysis-types';
export * from './types';
export { analyzeModel, describeShape, setParamFix, toDisplayShape, INPUT_NAME } from './analyze';
export { parseYamlModel } from './parse-yaml';
export { computeWindowGeometry, computeWindowAxis, computeTransposedAxis, exactPaddings, adaptiveWindow } from './geometry';
export type { WindowAxis, WindowGeometry, TransposedAxis } from './geometry';
export { LAYER_KINDS, getLayerKind, kindsFor } from './layers';
export type { LayerKindDef, ParamSchema, ParamType } from './layers';

/** Parses and analyzes a `*.cnn.yaml` document. Never throws on bad input. */
export function analyzeYaml(text: string, options?: AnalysisOptions): AnalysisResult {
  const parsed = parseYamlModel(text);
  if (!parsed.model) return { diagnostics: parsed.diagnostics };
  return analyzeModel(parsed.model, parsed.diagnostics, options);
}
