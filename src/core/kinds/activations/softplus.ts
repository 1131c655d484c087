// Softplus: log(1 + eˣ), written max(x, 0) + log1p(e^−|x|) so large |x| neither overflows nor
// loses the small term.
import { elementwiseKernel, type Elementwise } from './elementwise';

export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

export const softplusOp: Elementwise = {
  f: softplus,
  df: (x) => 1 / (1 + Math.exp(-x)),
};

export const softplusKernel = elementwiseKernel(() => softplusOp);
