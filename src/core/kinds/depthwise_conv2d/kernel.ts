// TensorFlow's depthwiseConv2d: conv2d with groups = C and C·depth_multiplier outputs (the
// analysis derives both). Output channel c·m + j is filter j of input channel c, as in PyTorch's
// grouped convolution, so the weight is PyTorch's [C·m, 1, KH, KW] and conv2d's kernel does the
// work: im2col + GEMM on the TypeScript path, the direct depthwise loop on the WebAssembly path.
import { conv2dKernel } from '../conv2d/kernel';
import type { LayerKernel } from '../kernel-types';

export const depthwiseConv2dKernel: LayerKernel = conv2dKernel;
