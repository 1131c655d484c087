// The activation kinds' kernels (softmax and log_softmax, which read a whole channel line, are in
// ./softmax.ts). Each elementwise kind gives f(x) and f'(x) (which may use y = f(x));
// elementwiseKernel applies them element by element, forward and backward.

import { emptyTensor, tensor, type Tensor } from '../../engine/tensor';
import { onlyInput } from '../kernel-util';
import type { KindLayer, LayerKernel } from '../kernel-types';
import type { KindAttrs } from '../types';
import type { activations, tfActivations } from './def';

export interface Elementwise {
  f(x: number): number;
  /** dy/dx at x, where y = f(x); PyTorch's choice at the kinks. */
  df(x: number, y: number): number;
  /**
   * y[i] = f(x[i]) as one loop of its own, for the activations on every block of a network: the
   * shared loop below calls `f` through a call site that sees every activation, which V8 cannot
   * inline (several times slower on ResNet-sized tensors).
   */
  map?(x: Float32Array, y: Float32Array): void;
}

export function mapTensor(x: Tensor, f: (v: number) => number): Tensor {
  const y = tensor(x.shape);
  const xd = x.data,
    yd = y.data;
  for (let i = 0; i < xd.length; i++) yd[i] = f(xd[i]!);
  return y;
}

export function elementwiseBackward(x: Tensor, y: Tensor, dy: Tensor, op: Elementwise): Tensor {
  const dx = tensor(x.shape);
  for (let i = 0; i < x.data.length; i++) dx.data[i] = dy.data[i]! * op.df(x.data[i]!, y.data[i]!);
  return dx;
}

/** A kernel from an operation, which may depend on the layer's attributes (leaky_relu's slope). */
export function elementwiseKernel<A>(opFor: (layer: KindLayer<A>) => Elementwise): LayerKernel<A> {
  return {
    forward(layer, inputs) {
      const x = onlyInput(layer, inputs);
      const op = opFor(layer);
      if (op.map === undefined) return { output: mapTensor(x, op.f) };
      const y = emptyTensor(x.shape);
      op.map(x.data, y.data);
      return { output: y };
    },
    backward(layer, inputs, _params, forward, dy) {
      return { inputs: [elementwiseBackward(onlyInput(layer, inputs), forward.output, dy, opFor(layer))], params: {} };
    },
  };
}

/** erf with relative error below 1.2e-7 (Numerical Recipes' erfc, Chebyshev fit), enough for float32. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc : erfc - 1;
}

// torch.nn.ReLU: max(x, 0), NaN stays NaN; the gradient at 0 is 0, as PyTorch's threshold_backward
// gives. On the WebAssembly backend the module's SIMD loop runs it where the activations live.
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

// torch.nn.ReLU6 = hardtanh(0, 6): gradient 1 strictly inside (0, 6). On the WebAssembly backend
// the module's SIMD loop runs it where the activations live, or the layer before folds it in.
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

const relu6Reference = elementwiseKernel(() => relu6Op);

export const relu6Kernel: LayerKernel = {
  ...relu6Reference,
  forward(layer, inputs, params, ctx) {
    if (ctx.wasm === undefined) return relu6Reference.forward(layer, inputs, params, ctx);
    const x = onlyInput(layer, inputs);
    const y = emptyTensor(x.shape);
    ctx.wasm.gemm.relu6(x.data, y.data);
    return { output: y };
  },
  asEpilogue: () => ({ relu6: true }),
};

// torch.nn.LeakyReLU(negative_slope = 0.01).
export function leakyReluOp(slope: number): Elementwise {
  return {
    f: (x) => (x > 0 ? x : x * slope),
    df: (x) => (x > 0 ? 1 : slope),
  };
}

export const leakyReluKernel = elementwiseKernel<KindAttrs<(typeof activations)[2]>>((layer) => leakyReluOp(layer.attrs.negative_slope));

// torch.nn.Sigmoid.
export const sigmoidOp: Elementwise = {
  f: (x) => 1 / (1 + Math.exp(-x)),
  df: (_x, y) => y * (1 - y),
};

export const sigmoidKernel = elementwiseKernel(() => sigmoidOp);

// torch.nn.Tanh.
export const tanhOp: Elementwise = {
  f: (x) => Math.tanh(x),
  df: (_x, y) => 1 - y * y,
};

export const tanhKernel = elementwiseKernel(() => tanhOp);

// torch.nn.GELU with approximate='none' (PyTorch's default): x·Φ(x) = x/2·(1 + erf(x/√2)).
export const geluOp: Elementwise = {
  f: (x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2)),
  df: (x) => 0.5 * (1 + erf(x * Math.SQRT1_2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI),
};

export const geluKernel = elementwiseKernel(() => geluOp);

// torch.nn.SiLU: x·σ(x).
export const siluOp: Elementwise = {
  f: (x) => x / (1 + Math.exp(-x)),
  df: (x) => {
    const s = 1 / (1 + Math.exp(-x));
    return s * (1 + x * (1 - s));
  },
};

export const siluKernel = elementwiseKernel(() => siluOp);

// torch.nn.Hardswish: x·relu6(x + 3)/6; PyTorch's gradient is x/3 + 1/2 on [−3, 3].
export const hardswishOp: Elementwise = {
  f: (x) => (x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6),
  df: (x) => (x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1),
};

export const hardswishKernel = elementwiseKernel(() => hardswishOp);

// torch.nn.Hardsigmoid: relu6(x + 3)/6; gradient 1/6 strictly inside (−3, 3).
export const hardsigmoidOp: Elementwise = {
  f: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6),
  df: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
};

export const hardsigmoidKernel = elementwiseKernel(() => hardsigmoidOp);

// ELU: x for x > 0, alpha·(eˣ − 1) otherwise (TensorFlow's elu layer and activation, torch.nn.ELU).
export function eluOp(alpha: number): Elementwise {
  return {
    f: (x) => (x > 0 ? x : alpha * Math.expm1(x)),
    df: (x, y) => (x > 0 ? 1 : y + alpha),
  };
}

export const eluKernel = elementwiseKernel<KindAttrs<(typeof tfActivations)[0]>>((layer) => eluOp(layer.attrs.alpha));

// SELU: scale·x for x > 0, scale·alpha·(eˣ − 1) otherwise, with the self-normalizing constants
// of Klambauer et al. (the values TensorFlow and PyTorch both use).
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

export const seluOp: Elementwise = {
  f: (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x)),
  df: (x, y) => (x > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA),
};

export const seluKernel = elementwiseKernel(() => seluOp);

// Softplus: log(1 + eˣ), written max(x, 0) + log1p(e^−|x|) so large |x| neither overflows nor
// loses the small term.
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

export const softplusOp: Elementwise = {
  f: softplus,
  df: (x) => 1 / (1 + Math.exp(-x)),
};

export const softplusKernel = elementwiseKernel(() => softplusOp);

// Softsign: x / (1 + |x|).
export const softsignOp: Elementwise = {
  f: (x) => x / (1 + Math.abs(x)),
  df: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
};

export const softsignKernel = elementwiseKernel(() => softsignOp);

// Mish: x·tanh(softplus(x)).
export const mishOp: Elementwise = {
  f: (x) => x * Math.tanh(softplus(x)),
  df: (x) => {
    const t = Math.tanh(softplus(x));
    return t + (x * (1 - t * t)) / (1 + Math.exp(-x));
  },
};

export const mishKernel = elementwiseKernel(() => mishOp);

// GELU, tanh approximation (TensorFlow's gelu_new, torch.nn.GELU(approximate='tanh')):
// x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
const C = Math.sqrt(2 / Math.PI);
const A = 0.044715;

export const geluTanhOp: Elementwise = {
  f: (x) => 0.5 * x * (1 + Math.tanh(C * (x + A * x * x * x))),
  df: (x) => {
    const t = Math.tanh(C * (x + A * x * x * x));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * A * x * x);
  },
};

export const geluTanhKernel = elementwiseKernel(() => geluTanhOp);

// TensorFlow's hard sigmoid: clip(0.2·x + 0.5, 0, 1) (not PyTorch's relu6(x + 3) / 6).
export const tfHardSigmoidOp: Elementwise = {
  f: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  df: (x) => (x > -2.5 && x < 2.5 ? 0.2 : 0),
};

export const tfHardSigmoidKernel = elementwiseKernel(() => tfHardSigmoidOp);

// Identity (TensorFlow's linear activation as a layer): the output shares the input's buffer.
export const identityKernel: LayerKernel = {
  forward(layer, inputs) {
    return { output: onlyInput(layer, inputs) };
  },
  backward(_layer, _inputs, _params, _forward, dy) {
    return { inputs: [dy], params: {} };
  },
};
