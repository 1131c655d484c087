// The engine's kernels by layer kind (the contract's kinds). Adding a kind: one file, one line.

import { adaptiveAvgpool2dKernel } from './adaptive_pool2d/avg-kernel';
import { adaptiveMaxpool2dKernel } from './adaptive_pool2d/max-kernel';
import { addKernel } from './add/kernel';
import { avgpool2dKernel } from './avgpool2d/kernel';
import { batchnorm2dKernel } from './batchnorm2d/kernel';
import { concatKernel } from './concat/kernel';
import { conv2dKernel } from './conv2d/kernel';
import { convTranspose2dKernel } from './conv_transpose2d/kernel';
import { depthwiseConv2dKernel } from './depthwise_conv2d/kernel';
import { dropoutKernel } from './dropout/kernel';
import { eluKernel } from './activations/elu';
import { flattenKernel } from './flatten/kernel';
import { geluKernel } from './activations/gelu';
import { geluTanhKernel } from './activations/gelu_tanh';
import { globalAvgpool2dKernel } from './global_pool2d/avg-kernel';
import { globalMaxpool2dKernel } from './global_pool2d/max-kernel';
import { hardsigmoidKernel } from './activations/hardsigmoid';
import { hardswishKernel } from './activations/hardswish';
import { identityKernel } from './activations/identity';
import { leakyReluKernel } from './activations/leaky_relu';
import { linearKernel } from './linear/kernel';
import { logSoftmaxKernel } from './activations/log_softmax';
import { maxpool2dKernel } from './maxpool2d/kernel';
import { mishKernel } from './activations/mish';
import { reluKernel } from './activations/relu';
import { relu6Kernel } from './activations/relu6';
import { seluKernel } from './activations/selu';
import { separableConv2dKernel } from './separable_conv2d/kernel';
import { sigmoidKernel } from './activations/sigmoid';
import { siluKernel } from './activations/silu';
import { softmaxKernel } from './activations/softmax';
import { softplusKernel } from './activations/softplus';
import { softsignKernel } from './activations/softsign';
import { tanhKernel } from './activations/tanh';
import { tfAvgpool2dKernel } from './tf_pool2d/avg-kernel';
import { tfBatchnormKernel } from './tf_batchnorm/kernel';
import { tfConvTranspose2dKernel } from './tf_conv_transpose2d/kernel';
import { tfHardSigmoidKernel } from './activations/tf_hard_sigmoid';
import { tfMaxpool2dKernel } from './tf_pool2d/max-kernel';
import { upsampleKernel } from './upsample/kernel';
import { zeroPadding2dKernel } from './zero_padding2d/kernel';
import type { LayerKernel } from './kernel-types';

export type { BackwardResult, Epilogue, ForwardResult, KernelContext, LayerKernel, ParamSpec, Params } from './kernel-types';

export const KERNELS: ReadonlyMap<string, LayerKernel> = new Map<string, LayerKernel>([
  ['conv2d', conv2dKernel],
  ['conv_transpose2d', convTranspose2dKernel],
  ['maxpool2d', maxpool2dKernel],
  ['avgpool2d', avgpool2dKernel],
  ['adaptive_avgpool2d', adaptiveAvgpool2dKernel],
  ['adaptive_maxpool2d', adaptiveMaxpool2dKernel],
  ['batchnorm2d', batchnorm2dKernel],
  ['relu', reluKernel],
  ['relu6', relu6Kernel],
  ['leaky_relu', leakyReluKernel],
  ['sigmoid', sigmoidKernel],
  ['tanh', tanhKernel],
  ['gelu', geluKernel],
  ['silu', siluKernel],
  ['hardswish', hardswishKernel],
  ['hardsigmoid', hardsigmoidKernel],
  ['dropout', dropoutKernel],
  ['flatten', flattenKernel],
  ['linear', linearKernel],
  ['add', addKernel],
  ['concat', concatKernel],
  ['upsample', upsampleKernel],
  // TensorFlow.js kinds (the analysis holds their shapes in NCHW too).
  ['depthwise_conv2d', depthwiseConv2dKernel],
  ['separable_conv2d', separableConv2dKernel],
  ['tf_maxpool2d', tfMaxpool2dKernel],
  ['tf_avgpool2d', tfAvgpool2dKernel],
  ['global_avgpool2d', globalAvgpool2dKernel],
  ['global_maxpool2d', globalMaxpool2dKernel],
  ['zero_padding2d', zeroPadding2dKernel],
  ['tf_batchnorm', tfBatchnormKernel],
  ['tf_conv_transpose2d', tfConvTranspose2dKernel],
  ['elu', eluKernel],
  ['selu', seluKernel],
  ['softmax', softmaxKernel],
  ['log_softmax', logSoftmaxKernel],
  ['softplus', softplusKernel],
  ['softsign', softsignKernel],
  ['mish', mishKernel],
  ['gelu_tanh', geluTanhKernel],
  ['tf_hard_sigmoid', tfHardSigmoidKernel],
  ['identity', identityKernel],
]);

export function kernelFor(kind: string): LayerKernel | undefined {
  return KERNELS.get(kind);
}
