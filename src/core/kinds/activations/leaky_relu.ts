// torch.nn.LeakyReLU(negative_slope = 0.01).
import type { KindAttrs } from '../types';
import type { activations } from './def';
import { elementwiseKernel, type Elementwise } from './elementwise';

export function leakyReluOp(slope: number): Elementwise {
  return {
    f: (x) => (x > 0 ? x : x * slope),
    df: (x) => (x > 0 ? 1 : slope),
  };
}

export const leakyReluKernel = elementwiseKernel<KindAttrs<(typeof activations)[2]>>((layer) => leakyReluOp(layer.attrs.negative_slope));
