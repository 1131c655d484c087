// torch.nn.Tanh.
import { elementwiseKernel, type Elementwise } from './elementwise';

export const tanhOp: Elementwise = {
  f: (x) => Math.tanh(x),
  df: (_x, y) => 1 - y * y,
};

export const tanhKernel = elementwiseKernel(() => tanhOp);
