// What every layer kind's engine file exports, collected by kind in ./index.ts.

import type { AnalyzedLayer } from '../../analysis-types';
import type { Framework } from '../../types';
import type { Gemm } from '../gemm';
import type { Tensor } from '../tensor';
import type { PackedWeights } from '../wasm/packed-weights';

export interface KernelContext {
  /** The GEMM of the TypeScript kernels (and of every backward pass). */
  gemm: Gemm;
  /**
   * When set, conv2d, conv_transpose2d and linear run on the WebAssembly SIMD GEMM with their
   * weights packed once in this cache; otherwise they use `gemm` (the reference path).
   */
  wasm?: PackedWeights;
  /**
   * Whose semantics the model follows where NCHW and NHWC disagree (flatten order, the axis of a
   * linear layer on a 4-D tensor). Shapes are NCHW in the engine either way. Default 'pytorch'.
   */
  framework?: Framework;
}

/** A parameter tensor of a layer, named by its state_dict suffix. */
export interface ParamSpec {
  /** 'weight', 'bias', 'running_mean' or 'running_var'. */
  name: string;
  shape: number[];
  /** PyTorch's default initialization for it. */
  init: { kind: 'uniform'; bound: number } | { kind: 'constant'; value: number };
}

/** A layer's parameter tensors by suffix. */
export type Params = Readonly<Record<string, Tensor>>;

export interface ForwardResult {
  output: Tensor;
  /** Max pooling: for each output element, the flat index (ih·W + iw) of its max in its plane. */
  indices?: Int32Array;
}

export interface BackwardResult {
  /** Gradient with respect to each input, in the order of the layer's inputs. */
  inputs: Tensor[];
  /** Gradient with respect to each parameter, by suffix. */
  params: Record<string, Tensor>;
}

/**
 * Layers folded into the forward of the layer before them (the WebAssembly backend runs conv2d →
 * batchnorm2d → relu as one pass; see ../fusion.ts): applied per output channel, in this order.
 */
export interface Epilogue {
  /** y = y·scale + shift per output channel: an inference batch normalization. */
  affine?: {
    scale: Float64Array;
    shift: Float64Array;
    /** The parameter arrays scale and shift come from (a cache of folded weights keys on them). */
    sources: readonly Float32Array[];
  };
  /** Then y = max(y, 0). */
  relu?: boolean;
  /** Then y = min(max(y, 0), 6) (a ReLU6; `relu` is then ignored). */
  relu6?: boolean;
}

export interface LayerKernel {
  /** Throws an EngineError when the engine cannot run this layer (checked before a run starts). */
  check?(layer: AnalyzedLayer): void;
  /** Parameter tensors the layer needs; absent for kinds without parameters. */
  params?(layer: AnalyzedLayer): ParamSpec[];
  forward(layer: AnalyzedLayer, inputs: readonly Tensor[], params: Params, ctx: KernelContext): ForwardResult;
  /** The forward followed by the epilogue of the layers fused after it (kinds that can fuse). */
  forwardFused?(layer: AnalyzedLayer, inputs: readonly Tensor[], params: Params, ctx: KernelContext, epilogue: Epilogue): ForwardResult;
  /**
   * Bytes of WebAssembly memory the forward allocates for itself besides its output and its
   * weights' packing (a transposed convolution's column matrix); the runner reserves them.
   */
  wasmScratchBytes?(layer: AnalyzedLayer): number;
  /** This layer as an epilogue of the layer before it (kinds that can be fused into one). */
  asEpilogue?(layer: AnalyzedLayer, params: Params): Epilogue;
  /** Gradients given dL/d(output); `forward` is what forward returned for the same inputs. */
  backward?(
    layer: AnalyzedLayer,
    inputs: readonly Tensor[],
    params: Params,
    forward: ForwardResult,
    dy: Tensor,
    ctx: KernelContext,
  ): BackwardResult;
}
