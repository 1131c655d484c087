// The interface every layer kind implements. One file per kind (or per family of trivially
// shape-preserving kinds) under src/core/kinds/, collected in ./index.ts.

import type { LayerFact } from '../analyze/analysis-types';
import type { TransposedAxis, WindowGeometry } from '../geometry';
import type { Fix, Framework, LayerSpec, Range, RelatedInformation, Shape } from '../types';

export type ParamType =
  | 'int' // an integer
  | 'pair' // k or [kh, kw], positive integers
  | 'padding' // p, [ph, pw], 'same' or 'valid'
  | 'pool-padding' // p or [ph, pw] (pooling has no 'same')
  | 'bool'
  | 'number'
  | 'output-size' // k or [h|null, w|null]
  | 'scale' // s or [sh, sw], positive numbers
  | 'enum';

export interface ParamSchema {
  name: string;
  type: ParamType;
  required?: boolean;
  /** Default, as the user would write it; `undefined` means "no default" or a derived one. */
  default?: unknown;
  /** Text for the derived default, e.g. "kernel_size". */
  defaultText?: string;
  /** Smallest allowed value for ints and pairs (1 for kernel/stride/dilation, 0 for padding). */
  min?: number;
  /** Inclusive bounds for numbers. */
  range?: [number, number];
  values?: string[];
  doc: string;
}

/** How a layer changes the receptive field of its output. */
export type ReceptiveFieldRule =
  | { type: 'preserve' }
  | { type: 'window'; geometry: WindowGeometry }
  | { type: 'global' }
  | { type: 'untracked' };

export interface InferResult {
  outputShape: Shape;
  params?: bigint;
  macs?: bigint;
  geometry?: WindowGeometry;
  transposed?: { h: TransposedAxis; w: TransposedAxis };
  receptiveField?: ReceptiveFieldRule;
  facts?: LayerFact[];
  /** Derived attributes (in_channels, in_features, num_features...) merged into `attrs`. */
  derived?: Record<string, unknown>;
  /** (rows, cols, groups) of the im2col matrix, for convolutions. */
  im2col?: { rows: bigint; cols: number; groups: number };
}

export interface ReportOptions {
  fixes?: Fix[];
  related?: RelatedInformation[];
}

export interface InferContext {
  layer: LayerSpec;
  framework: Framework;
  /** Validated parameters with defaults; pairs normalized to [h, w]. */
  attrs: Record<string, unknown>;
  /** Input shapes in NCHW order (the analyzer never calls infer with a missing input). */
  inputShapes: Shape[];
  inputNames: string[];
  /** The value range of a parameter, or the kind key when it was not written. */
  rangeOf(param: string): Range;
  /** Whether the user wrote this parameter. */
  has(param: string): boolean;
  /** Where the input with this index was produced (its layer's kind key), for related information. */
  inputOrigin(index: number): Range | undefined;
  error(code: string, message: string, range: Range, options?: ReportOptions): void;
  warning(code: string, message: string, range: Range, options?: ReportOptions): void;
  info(code: string, message: string, range: Range, options?: ReportOptions): void;
  /** A fix that sets `param` to `value` (replaces the value or inserts the key). */
  setParamFix(title: string, param: string, valueText: string, preferred?: boolean): Fix | undefined;
}

export interface LayerKindDef {
  kind: string;
  /** One line for completion and hovers. */
  doc: string;
  /** PyTorch class, e.g. torch.nn.Conv2d. */
  torch: string;
  params: ParamSchema[];
  /**
   * The frameworks whose files may use this kind (default: all). TensorFlow-only kinds (its
   * 'same' pooling, its batch norm) stay out of YAML files, their completion and "did you mean".
   */
  frameworks?: readonly Framework[];
  /** 'many' kinds (add, concat) require `from` with at least two inputs. */
  inputs: 'one' | 'many';
  /** Returns undefined after reporting an error: the output shape is then unknown. */
  infer(ctx: InferContext): InferResult | undefined;
}
