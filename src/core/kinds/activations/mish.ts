// Mish: x·tanh(softplus(x)).
import { elementwiseKernel, type Elementwise } from './elementwise';
import { softplus } from './softplus';

export const mishOp: Elementwise = {
  f: (x) => x * Math.tanh(softplus(x)),
  df: (x) => {
    const t = Math.tanh(softplus(x));
    return t + (x * (1 - t * t)) / (1 + Math.exp(-x));
  },
};

export const mishKernel = elementwiseKernel(() => mishOp);
