// torch.nn.ReLU: max(x, 0), NaN stays NaN; the gradient at 0 is 0, as PyTorch's threshold_backward
// gives. On the WebAssembly backend the module's SIMD loop runs it where the activations live.
import { emptyTensor } from '../../engine/tensor';
import { onlyInput } from '../kernel-util';
import { elementwiseKernel, type Elementwise } from './elementwise';
import type { LayerKernel } from '../kernel-types';

export const reluOp: Elementwise = {
  f: (x) => (x < 0 ? 0 : x),
  df: (x) => (x > 0 ? 1 : 0),
  map(x, y) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      y[i] = v < 0 ? 0 : v;
    }
  },
};

const reference = elementwiseKernel(() => reluOp);

export const reluKernel: LayerKernel = {
  ...reference,
  forward(layer, inputs, params, ctx) {
    if (ctx.wasm === undefined) return reference.forward(layer, inputs, params, ctx);
    const x = onlyInput(layer, inputs);
    const y = emptyTensor(x.shape);
    ctx.wasm.gemm.relu(x.data, y.data);
    return { output: y };
  },
  asEpilogue: () => ({ relu: true }),
};
