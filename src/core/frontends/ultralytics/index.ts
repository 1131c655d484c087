// Ultralytics YOLO model YAMLs (v3–v12): recognition, parse_model semantics and the model summary.
export { isUltralyticsYaml, scaleFromFileName } from './yaml-rows';
export type { SourceRange, Position, PyValue } from './yaml-rows';
export { buildUltralyticsModel, SUPPORTED_MODULES, makeDivisible, pyRound } from './model';
export type { BuildOptions, BuiltRow, Diagnostic, UltralyticsModel, UltralyticsSummary } from './model';
export type { LeafModule, OpNode, Shape, TensorRef } from './graph';
