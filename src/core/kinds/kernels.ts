// The engine's kernel of every kind in KINDS (./index.ts), each in its kind's folder.

import {
  eluKernel,
  geluKernel,
  geluTanhKernel,
  hardsigmoidKernel,
  hardswishKernel,
  identityKernel,
  leakyReluKernel,
  mishKernel,
  relu6Kernel,
  reluKernel,
  seluKernel,
  sigmoidKernel,
  siluKernel,
  softplusKernel,
  softsignKernel,
  tanhKernel,
  tfHardSigmoidKernel,
} from './activations/kernel';
import { adaptiveAvgpool2dKernel } from './adaptive_pool2d/avg-kernel';
import { adaptiveMaxpool2dKernel } from './adaptive_pool2d/max-kernel';
import { addKernel } from './add/kernel';
import { avgpool2dKernel } from './avgpool2d/kernel';
import { batchnorm2dKernel } from './batchnorm2d/kernel';
import { channelShuffleKernel } from './channel_shuffle/kernel';
import { pixelShuffleKernel } from './pixel_shuffle/kernel';
import { partsKernel } from './chunk/kernel';
import { stochasticDepthKernel } from './stochastic_depth/kernel';
import { concatKernel } from './concat/kernel';
import { conv2dKernel } from './conv2d/kernel';
import { convTranspose2dKernel } from './conv_transpose2d/kernel';
import { depthwiseConv2dKernel } from './depthwise_conv2d/kernel';
import { dropoutKernel } from './dropout/kernel';
import { flattenKernel } from './flatten/kernel';
import { globalAvgpool2dKernel } from './global_pool2d/avg-kernel';
import { globalMaxpool2dKernel } from './global_pool2d/max-kernel';
import { layerNorm2dKernel } from './layer_norm2d/kernel';
import { linearKernel } from './linear/kernel';
import { maxpool2dKernel } from './maxpool2d/kernel';
import { mulKernel } from './mul/kernel';
import { separableConv2dKernel } from './separable_conv2d/kernel';
import { logSoftmaxKernel, softmaxKernel } from './activations/softmax';
import { tfAvgpool2dKernel, tfMaxpool2dKernel } from './tf_pool2d/kernel';
import { tfBatchnormKernel } from './tf_batchnorm/kernel';
import { tfConvTranspose2dKernel } from './tf_conv_transpose2d/kernel';
import { upsampleKernel } from './upsample/kernel';
import { zeroPadding2dKernel } from './zero_padding2d/kernel';
import type { AnalyzedLayer } from '../analyze/analysis-types';
import { EngineError } from '../engine/tensor';
import type { KindLayer, LayerKernel } from './kernel-types';
import type { KindName, KindOf } from './index';
import type { KindAttrs } from './types';

export type { BackwardResult, Epilogue, ForwardResult, KernelContext, LayerKernel, ParamSpec, Params } from './kernel-types';

/** The kernel of every kind, or null for a kind the engine cannot run; a kind missing here is a compile error. */
export const KERNELS: { readonly [K in KindName]: LayerKernel<KindAttrs<KindOf<K>>> | null } = {
  conv2d: conv2dKernel,
  conv_transpose2d: convTranspose2dKernel,
  maxpool2d: maxpool2dKernel,
  avgpool2d: avgpool2dKernel,
  adaptive_avgpool2d: adaptiveAvgpool2dKernel,
  adaptive_maxpool2d: adaptiveMaxpool2dKernel,
  batchnorm2d: batchnorm2dKernel,
  relu: reluKernel,
  relu6: relu6Kernel,
  leaky_relu: leakyReluKernel,
  sigmoid: sigmoidKernel,
  tanh: tanhKernel,
  gelu: geluKernel,
  silu: siluKernel,
  hardswish: hardswishKernel,
  hardsigmoid: hardsigmoidKernel,
  dropout: dropoutKernel,
  flatten: flattenKernel,
  linear: linearKernel,
  add: addKernel,
  mul: mulKernel,
  chunk: partsKernel,
  split: partsKernel,
  channel_shuffle: channelShuffleKernel,
  pixel_shuffle: pixelShuffleKernel,
  stochastic_depth: stochasticDepthKernel,
  layer_norm2d: layerNorm2dKernel,
  concat: concatKernel,
  upsample: upsampleKernel,
  // TensorFlow.js kinds (the analysis holds their shapes in NCHW too).
  depthwise_conv2d: depthwiseConv2dKernel,
  separable_conv2d: separableConv2dKernel,
  tf_maxpool2d: tfMaxpool2dKernel,
  tf_avgpool2d: tfAvgpool2dKernel,
  global_avgpool2d: globalAvgpool2dKernel,
  global_maxpool2d: globalMaxpool2dKernel,
  zero_padding2d: zeroPadding2dKernel,
  tf_batchnorm: tfBatchnormKernel,
  tf_conv_transpose2d: tfConvTranspose2dKernel,
  elu: eluKernel,
  selu: seluKernel,
  softmax: softmaxKernel,
  log_softmax: logSoftmaxKernel,
  softplus: softplusKernel,
  softsign: softsignKernel,
  mish: mishKernel,
  gelu_tanh: geluTanhKernel,
  tf_hard_sigmoid: tfHardSigmoidKernel,
  identity: identityKernel,
  // A layer of a TensorFlow class ConvLens does not model: nothing to run.
  unresolved: null,
};

/** The kernel of a layer of this kind, on the analysis' untyped attributes (the analyzer validated them against the kind's schema). */
export function kernelFor(kind: string): LayerKernel | undefined {
  return (KERNELS as Record<string, LayerKernel | null>)[kind] ?? undefined;
}

/**
 * An analyzed layer as a layer of kind K, with K's typed attributes (the analyzer validated them
 * against K's schema); throws if the layer is of another kind.
 */
export function asKindLayer<K extends KindName>(layer: AnalyzedLayer, kind: K): KindLayer<KindAttrs<KindOf<K>>> {
  if (layer.kind !== kind) throw new EngineError(`${layer.name}: a ${layer.kind} layer, not ${kind}`);
  return layer as KindLayer<KindAttrs<KindOf<K>>>;
}
