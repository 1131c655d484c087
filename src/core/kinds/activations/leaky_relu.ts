// torch.nn.LeakyReLU(negative_slope = 0.01).
import { numberAttr } from '../kernel-util';
import { elementwiseKernel, type Elementwise } from './elementwise';

export function leakyReluOp(slope: number): Elementwise {
  return {
    f: (x) => (x > 0 ? x : x * slope),
    df: (x) => (x > 0 ? 1 : slope),
  };
}

export const leakyReluKernel = elementwiseKernel((layer) => leakyReluOp(numberAttr(layer, 'negative_slope', 0.01)));
