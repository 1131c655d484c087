// The engine's kernels by layer kind (the contract's kinds). Adding a kind: one file, one line.

import { adaptiveAvgpool2dKernel } from './adaptive_avgpool2d';
import { adaptiveMaxpool2dKernel } from './adaptive_maxpool2d';
import { addKernel } from './add';
import { avgpool2dKernel } from './avgpool2d';
import { batchnorm2dKernel } from './batchnorm2d';
import { concatKernel } from './concat';
import { conv2dKernel } from './conv2d';
import { convTranspose2dKernel } from './conv_transpose2d';
import { dropoutKernel } from './dropout';
import { flattenKernel } from './flatten';
import { geluKernel } from './gelu';
import { hardsigmoidKernel } from './hardsigmoid';
import { hardswishKernel } from './hardswish';
import { leakyReluKernel } from './leaky_relu';
import { linearKernel } from './linear';
import { maxpool2dKernel } from './maxpool2d';
import { reluKernel } from './relu';
import { relu6Kernel } from './relu6';
import { sigmoidKernel } from './sigmoid';
import { siluKernel } from './silu';
import { tanhKernel } from './tanh';
import type { LayerKernel } from './types';
import { upsampleKernel } from './upsample';

export type { BackwardResult, ForwardResult, KernelContext, LayerKernel, ParamSpec, Params } from './types';

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
]);

export function kernelFor(kind: string): LayerKernel | undefined {
  return KERNELS.get(kind);
}
