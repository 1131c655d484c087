// StochasticDepth at inference: the identity (the output shares the input's buffer), as dropout.
import { dropoutKernel } from '../dropout/kernel';
import type { LayerKernel } from '../kernel-types';

export const stochasticDepthKernel: LayerKernel = dropoutKernel;
