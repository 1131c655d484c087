// torch.nn.Hardswish: x·relu6(x + 3)/6; PyTorch's gradient is x/3 + 1/2 on [−3, 3].
import { elementwiseKernel, type Elementwise } from './elementwise';

export const hardswishOp: Elementwise = {
  f: (x) => (x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6),
  df: (x) => (x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1),
};

export const hardswishKernel = elementwiseKernel(() => hardswishOp);
