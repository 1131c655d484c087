// Log-softmax over the channel axis (see ./softmax.ts): x − max − log Σ e^(x − max).
import { onlyInput } from '../kernel-util';
import { softmaxForward } from './softmax';
import type { LayerKernel } from '../kernel-types';

export const logSoftmaxKernel: LayerKernel = {
  forward(layer, inputs) {
    return { output: softmaxForward(onlyInput(layer, inputs), true) };
  },
};
