// torch.nn.ReLU6 = hardtanh(0, 6): gradient 1 strictly inside (0, 6). On the WebAssembly backend
// the module's SIMD loop runs it where the activations live, or the layer before folds it in.
import { emptyTensor } from '../tensor';
import { onlyInput } from './attrs';
import { elementwiseKernel, type Elementwise } from './elementwise';
import type { LayerKernel } from './types';

export const relu6Op: Elementwise = {
  f: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x),
  df: (x) => (x > 0 && x < 6 ? 1 : 0),
  map(x, y) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      y[i] = v <= 0 ? 0 : v >= 6 ? 6 : v;
    }
  },
};

const reference = elementwiseKernel(() => relu6Op);

export const relu6Kernel: LayerKernel = {
  ...reference,
  forward(layer, inputs, params, ctx) {
    if (ctx.wasm === undefined) return reference.forward(layer, inputs, params, ctx);
    const x = onlyInput(layer, inputs);
    const y = emptyTensor(x.shape);
    ctx.wasm.gemm.relu6(x.data, y.data);
    return { output: y };
  },
  asEpilogue: () => ({ relu6: true }),
};
