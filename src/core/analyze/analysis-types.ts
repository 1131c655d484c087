// What the analyzer computes for a model: the record every consumer (CLI, hovers, inline shapes,
// engine, webview) reads. Plain data; counts that can pass 2^53 are bigint.

import type { TransposedAxis, WindowGeometry } from '../geometry';
import type { Diagnostic, Framework, LayerSpec, ModelSpec, Shape } from '../types';

/** Receptive field of one output element, in input pixels, per axis [h, w]. */
export interface ReceptiveField {
  /** Window size on the model input. */
  size: [number, number];
  /** Distance on the input between two adjacent outputs. */
  jump: [number, number];
  /** Centre of the first output's window on the input (may be negative, inside the padding). */
  start: [number, number];
}

/** The im2col matrix a convolution multiplies: (N·OH·OW) × ((C/groups)·FH·FW), per group. */
export interface Im2colInfo {
  rows: bigint;
  cols: number;
  groups: number;
  /** Bytes of the whole matrix for all groups, at the analysis' bytes per element. */
  bytes: bigint;
}

/** A line of hover facts, label and value already formatted. */
export interface LayerFact {
  label: string;
  value: string;
}

/** One output of a layer with several: elements [start, start + size) along dim of its tensor. */
export interface InputSlice {
  part: number;
  dim: number;
  start: number;
  size: number;
}

export interface AnalyzedLayer {
  spec: LayerSpec;
  index: number;
  name: string;
  kind: string;
  /** Resolved input names; 'input' is the model input. */
  inputs: string[];
  /** Shapes of the inputs (null where an input has no shape because of an earlier error). */
  inputShapes: (Shape | null)[];
  /**
   * Per input, when `from` took one output of a layer with several (`chunk1.1`): which part, as
   * the slice of that layer's tensor along `dim` the engine reads. `inputs` names the layer.
   */
  inputSlices?: (InputSlice | undefined)[];
  /** Layers with several outputs (chunk, split): the parts' sizes along `dim`; their concatenation is `outputShape`. */
  outputParts?: { dim: number; sizes: number[] };
  /** Null when this layer or one it depends on has an error. */
  outputShape: Shape | null;
  params: bigint;
  macs: bigint;
  /**
   * Validated parameters with defaults applied. Pairs (`kernel_size`, `stride`, `padding`,
   * `dilation`, `output_padding`, `output_size`) are normalized to `[h, w]`; `padding` may also be
   * 'same' or 'valid'. Conv-like layers also get `in_channels`; linear gets `in_features`;
   * batchnorm2d gets `num_features`.
   */
  attrs: Record<string, unknown>;
  /** Conv and pooling layers: the window geometry every consumer reads. */
  geometry?: WindowGeometry;
  /** conv_transpose2d: the output-size terms per axis. */
  transposed?: { h: TransposedAxis; w: TransposedAxis };
  /** Null after a layer that mixes all positions (flatten, linear, global pooling). */
  receptiveField: ReceptiveField | null;
  /** Output activation memory in bytes. */
  activationBytes: bigint;
  im2col?: Im2colInfo;
  /** Extra facts for hovers, specific to the kind. */
  facts: LayerFact[];
}

export interface ModelAnalysis {
  spec: ModelSpec;
  name?: string;
  framework: Framework;
  /** Tensor layout of every shape reported: NCHW for PyTorch files, NHWC for TensorFlow.js. */
  layout: 'NCHW' | 'NHWC';
  input: Shape | null;
  layers: AnalyzedLayer[];
  byName: Map<string, AnalyzedLayer>;
  /** Output shape of the last layer, or null. */
  outputShape: Shape | null;
  totalParams: bigint;
  totalMacs: bigint;
  totalActivationBytes: bigint;
}

export interface AnalysisOptions {
  /** Overrides the batch dimension N of the input. */
  batchSize?: number;
  /** Bytes per element for memory figures (4 = float32). */
  bytesPerElement?: number;
}

export interface AnalysisResult {
  /** Present whenever the file parsed into a model, even with diagnostics. */
  model?: ModelAnalysis;
  diagnostics: Diagnostic[];
}
