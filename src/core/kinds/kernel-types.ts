// What every layer kind's kernel (kernel.ts in its folder) exports, collected by kind in ./kernels.ts.

import type { AnalyzedLayer } from '../analyze/analysis-types';
import type { Framework } from '../types';
import type { Gemm } from '../engine/gemm';
import type { Tensor } from '../engine/tensor';
import type { PackedWeights } from '../engine/wasm/packed-weights';
import type { Attrs } from './types';

export type { ParamSpec } from './types';

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

/** A layer as its kernel sees it: the analysis, with the kind's typed attributes. */
export type KindLayer<A = Attrs> = Omit<AnalyzedLayer, 'attrs'> & { attrs: A };

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
}

/**
 * A kind's engine kernel. Its parameter tensors are its definition's `paramTensors`; `A` are the
 * kind's attributes, already validated and defaulted by the analyzer.
 */
export interface LayerKernel<A = Attrs> {
  /** Throws an EngineError when the engine cannot run this layer (checked before a run starts). */
  check?(layer: KindLayer<A>): void;
  forward(layer: KindLayer<A>, inputs: readonly Tensor[], params: Params, ctx: KernelContext): ForwardResult;
  /** The forward followed by the epilogue of the layers fused after it (kinds that can fuse). */
  forwardFused?(layer: KindLayer<A>, inputs: readonly Tensor[], params: Params, ctx: KernelContext, epilogue: Epilogue): ForwardResult;
  /**
   * Bytes of WebAssembly memory the forward allocates for itself besides its output and its
   * weights' packing (a transposed convolution's column matrix); the runner reserves them.
   */
  wasmScratchBytes?(layer: KindLayer<A>): number;
  /** This layer as an epilogue of the layer before it (kinds that can be fused into one). */
  asEpilogue?(layer: KindLayer<A>, params: Params): Epilogue;
  /** Gradients given dL/d(output); `forward` is what forward returned for the same inputs. */
  backward?(
    layer: KindLayer<A>,
    inputs: readonly Tensor[],
    params: Params,
    forward: ForwardResult,
    dy: Tensor,
    ctx: KernelContext,
  ): BackwardResult;
}
