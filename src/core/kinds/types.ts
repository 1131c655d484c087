// The interface every layer kind implements. One folder per kind (or per family of kinds that share
// a definition) under src/core/kinds/: its definition (def.ts: parameters, shape inference,
// params/MACs, hover facts, parameter tensors) and its engine kernel (kernel.ts), collected in
// ./index.ts (KINDS) and ./kernels.ts (KERNELS).

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
  values?: readonly string[];
  doc: string;
}

/** How a layer changes the receptive field of its output. */
export type ReceptiveFieldRule =
  { type: 'preserve' } | { type: 'window'; geometry: WindowGeometry } | { type: 'global' } | { type: 'untracked' };

export type Pair = [number, number];

/** The value a parameter of this schema has once validated and defaulted (see ../analyze/params.ts). */
export type ParamValue<P extends ParamSchema> = P['type'] extends 'int' | 'number'
  ? number
  : P['type'] extends 'pair' | 'scale' | 'pool-padding'
    ? Pair
    : P['type'] extends 'padding'
      ? Pair | 'same' | 'valid'
      : P['type'] extends 'bool'
        ? boolean
        : P['type'] extends 'output-size'
          ? [number | null, number | null]
          : P['values'] extends readonly (infer V)[]
            ? V
            : string;

type Always<P extends ParamSchema> = P['required'] extends true ? P['name'] : 'default' extends keyof P ? P['name'] : never;

/**
 * A kind's attributes, typed from its parameter schema: required and defaulted parameters are
 * always present after validation, the others (the optional checks: in_channels…) only if written.
 */
export type AttrsOf<S extends readonly ParamSchema[]> = {
  [P in S[number] as P['name'] extends Always<P> ? P['name'] : never]: ParamValue<P>;
} & { [P in S[number] as P['name'] extends Always<P> ? never : P['name']]?: ParamValue<P> };

/** Attributes of no kind in particular (the analyzer's and runner's view). */
export type Attrs = Record<string, unknown>;

/** A parameter tensor of a layer, named by its state_dict suffix. */
export interface ParamSpec {
  /** 'weight', 'bias', 'running_mean'… (TensorFlow's names for TensorFlow-only kinds). */
  name: string;
  shape: number[];
  /** The framework's default initialization for it. */
  init: { kind: 'uniform'; bound: number } | { kind: 'constant'; value: number };
  /**
   * A PyTorch buffer (running statistics): in the state dict, but not a parameter. PyTorch's
   * count leaves buffers out; TensorFlow counts its moving statistics as non-trainable weights.
   */
  buffer?: true;
}

export interface InferResult<D = Attrs> {
  outputShape: Shape;
  /** Kinds without tensors only: a kind with `paramTensors` is counted from its tensors. */
  params?: bigint;
  macs?: bigint;
  geometry?: WindowGeometry;
  transposed?: { h: TransposedAxis; w: TransposedAxis };
  receptiveField?: ReceptiveFieldRule;
  facts?: LayerFact[];
  /** Derived attributes (in_channels, in_features, num_features...) merged into `attrs`. */
  derived?: D;
  /** (rows, cols, groups) of the im2col matrix, for convolutions. */
  im2col?: { rows: bigint; cols: number; groups: number };
  /**
   * Kinds with several outputs (chunk, split): the parts' sizes along `dim`, which `from` takes
   * one at a time as `name.k`; `outputShape` is then their concatenation (the input's shape).
   */
  outputParts?: { dim: number; sizes: number[] };
}

export interface ReportOptions {
  fixes?: Fix[];
  related?: RelatedInformation[];
}

export interface InferContext<A = Attrs> {
  layer: LayerSpec;
  framework: Framework;
  /** Validated parameters with defaults; pairs normalized to [h, w]. */
  attrs: A;
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

/**
 * A layer kind. `A` are its attributes (from its parameter schema, see `AttrsOf`), `D` what shape
 * inference derives from the input and merges into them (in_channels, groups…): the kernel and
 * `paramTensors` read `A & D`, validated and defaulted, never raw text.
 */
export interface KindDef<A = Attrs, D = Attrs, K extends string = string> {
  kind: K;
  /** One line for completion and hovers. */
  doc: string;
  /** PyTorch class, e.g. torch.nn.Conv2d. */
  torch: string;
  params: readonly ParamSchema[];
  /**
   * The frameworks whose files may use this kind (default: all). TensorFlow-only kinds (its
   * 'same' pooling, its batch norm) stay out of YAML files, their completion and "did you mean".
   */
  frameworks?: readonly Framework[];
  /**
   * 'one': exactly one input. 'many' (add, concat): a `from` list of at least `minInputs` (default
   * 2). 'any': no count is checked (the 'unresolved' placeholder, whose output is unknown anyway).
   */
  inputs: 'one' | 'many' | 'any';
  /** Kinds with several outputs (chunk, split): `from` takes one as `name.k` (see InferResult.outputParts). */
  multipleOutputs?: boolean;
  /** For 'many' kinds: the fewest inputs accepted (default 2; concat takes 1, as torch.cat([x]) does). */
  minInputs?: number;
  /** Returns undefined after reporting an error: the output shape is then unknown. */
  infer(ctx: InferContext<A>): InferResult<D> | undefined;
  /**
   * The layer's parameter tensors (and buffers), for input shapes `inputShapes` (NCHW) and the
   * attributes after inference: the one definition the analyzer counts parameters from, the
   * engine allocates and checks weights from, and a weights file is checked against.
   */
  paramTensors?(attrs: A & D, inputShapes: readonly Shape[]): ParamSpec[];
}

/** Any kind (the registry's element type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind's attributes differ; consumers go through the typed KERNELS
export type LayerKindDef = KindDef<any, any>;

/** The attributes a kernel of this kind reads: the schema's plus what inference derived. */
export type KindAttrs<T> = T extends KindDef<infer A, infer D> ? A & D : never;

/**
 * Declares a kind, typing its attributes from its parameter schema (write the schema inline: its
 * literal names and types become the attribute types).
 */
export function defineKind<const K extends string, const S extends readonly ParamSchema[], D = Attrs>(
  def: Omit<KindDef<AttrsOf<S>, D, K>, 'params'> & { params: S },
): KindDef<AttrsOf<S>, D, K> {
  return def;
}

/** The element count of each tensor, and the parameter count: buffers count for TensorFlow only. */
export function countParams(tensors: readonly ParamSpec[], framework: Framework): bigint {
  let total = 0n;
  for (const t of tensors) {
    if (t.buffer && framework !== 'tfjs') continue;
    total += t.shape.reduce((n, d) => n * BigInt(d), 1n);
  }
  return total;
}
