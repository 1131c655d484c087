// Log-softmax over the channel axis (see ./softmax.ts): x − max − log Σ e^(x − max).
import { onlyInput } from './attrs';
import { softmaxForward } from './softmax';
import type { LayerKernel } from './types';

export const logSoftmaxKernel: LayerKernel = {
  forward(layer, inputs) {
    return { output: softmaxForward(onlyInput(layer, inputs), true) };
  },
};
