// torch.nn.Sigmoid.
import { elementwiseKernel, type Elementwise } from './elementwise';

export const sigmoidOp: Elementwise = {
  f: (x) => 1 / (1 + Math.exp(-x)),
  df: (_x, y) => y * (1 - y),
};

export const sigmoidKernel = elementwiseKernel(() => sigmoidOp);
