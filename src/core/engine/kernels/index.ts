// The engine's kernels by layer kind (the contract's kinds). Adding a kind: one file, one line.

import { adaptiveAvgpool2dKernel } from './adaptive_avgpool2d';
import { adaptiveMaxpool2dKernel } from './adaptive_maxpool2d';
import { addKernel } from './add';
import { avgpool2dKernel } from './avgpool2d';
import { batchnorm2dKernel } from './batchnorm2d';
import { concatKernel } from './concat';
import { conv2dKernel } from './conv2d';
import { convTranspose2dKernel } from './conv_transpose2d';
import { depthwiseConv2dKernel } from './depthwise_conv2d';
import { dropoutKernel } from './dropout';
import { eluKernel } from './elu';
import { flattenKernel } from './flatten';
import { geluKernel } from './gelu';
import { geluTanhKernel } from './gelu_tanh';
import { globalAvgpool2dKernel } from './global_avgpool2d';
import { globalMaxpool2dKernel } from './global_maxpool2d';
import { hardsigmoidKernel } from './hardsigmoid';
import { hardswishKernel } from './hardswish';
import { identityKernel } from './identity';
import { leakyReluKernel } from './leaky_relu';
import { linearKernel } from './linear';
import { logSoftmaxKernel } from './log_softmax';
import { maxpool2dKernel } from './maxpool2d';
import { mishKernel } from './mish';
import { reluKernel } from './relu';
import { relu6Kernel } from './relu6';
import { seluKernel } from './selu';
import { separableConv2dKernel } from './separable_conv2d';
import { sigmoidKernel } from './sigmoid';
import { siluKernel } from './silu';
import { softmaxKernel } from './softmax';
import { softplusKernel } from './softplus';
import { softsignKernel } from './softsign';
import { tanhKernel } from './tanh';
import { tfAvgpool2dKernel } from './tf_avgpool2d';
import { tfBatchnormKernel } from './tf_batchnorm';
import { tfConvTranspose2dKernel } from './tf_conv_transpose2d';
import { tfHardSigmoidKernel } from './tf_hard_sigmoid';
import { tfMaxpool2dKernel } from './tf_maxpool2d';
import { upsampleKernel } from './upsample';
import { zeroPadding2dKernel } from './zero_padding2d';
import type { LayerKernel } from './types';

export type { BackwardResult, Epilogue, ForwardResult, KernelContext, LayerKernel, ParamSpec, Params } from './types';

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
