// torch.nn.GELU with approximate='none' (PyTorch's default): x·Φ(x) = x/2·(1 + erf(x/√2)).
import { elementwiseKernel, erf, type Elementwise } from './elementwise';

export const geluOp: Elementwise = {
  f: (x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2)),
  df: (x) => 0.5 * (1 + erf(x * Math.SQRT1_2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI),
};

export const geluKernel = elementwiseKernel(() => geluOp);
