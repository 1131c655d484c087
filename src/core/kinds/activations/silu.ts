// torch.nn.SiLU: x·σ(x).
import { elementwiseKernel, type Elementwise } from './elementwise';

export const siluOp: Elementwise = {
  f: (x) => x / (1 + Math.exp(-x)),
  df: (x) => {
    const s = 1 / (1 + Math.exp(-x));
    return s * (1 + x * (1 - s));
  },
};

export const siluKernel = elementwiseKernel(() => siluOp);
