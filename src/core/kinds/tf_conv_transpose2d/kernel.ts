// TensorFlow's conv2dTranspose: the adjoint of the convolution whose input is this layer's output
// (H·S for 'same', H·S + max(K − S, 0) for 'valid') and whose output is this layer's input, with
// TensorFlow's padding for it (the odd pixel at the end). That convolution's geometry comes from
// computeWindowGeometry, the one source of window sizes; conv_transpose2d's GEMM + col2im (or its
// WebAssembly path) then scatters along it. Weight in PyTorch's layout, [Cin, Cout, KH, KW]: TF's
// kernel[kh, kw, co, ci] is weight[ci, co, kh, kw].

import type { AnalyzedLayer } from '../../analyze/analysis-types';
import { computeWindowGeometry, type PaddingMode } from '../../geometry';
import { boolAttr, inputShapeOf, onlyInput, optionalPairAttr, outputShapeOf, param, stringAttr } from '../kernel-util';
import { convTranspose2dForward, convTranspose2dForwardWasm, convTransposeScratchBytes, type ConvTransposeOptions } from '../conv_transpose2d/kernel';
import type { LayerKernel, ParamSpec } from '../kernel-types';

function options(layer: AnalyzedLayer): ConvTransposeOptions {
  const out = outputShapeOf(layer);
  const kernel = optionalPairAttr(layer, 'kernel_size') ?? [1, 1];
  const stride = optionalPairAttr(layer, 'stride') ?? [1, 1];
  const padding = stringAttr(layer, 'padding', 'valid') as PaddingMode;
  const geometry = computeWindowGeometry({ input: [out[2] ?? 0, out[3] ?? 0], kernel, stride, padding, dilation: [1, 1] });
  return { geometry, groups: 1 };
}

export const tfConvTranspose2dKernel: LayerKernel = {
  wasmScratchBytes: (layer) => convTransposeScratchBytes(layer, options(layer)),
  params(layer): ParamSpec[] {
    const cin = inputShapeOf(layer)[1] ?? 0;
    const cout = outputShapeOf(layer)[1] ?? 0;
    const [kh, kw] = optionalPairAttr(layer, 'kernel_size') ?? [1, 1];
    // PyTorch's ConvTranspose2d bound: fan_in from weight dim 1 (Cout) · KH · KW.
    const bound = cout * kh * kw > 0 ? 1 / Math.sqrt(cout * kh * kw) : 0;
    const specs: ParamSpec[] = [{ name: 'weight', shape: [cin, cout, kh, kw], init: { kind: 'uniform', bound } }];
    if (boolAttr(layer, 'bias', true)) specs.push({ name: 'bias', shape: [cout], init: { kind: 'uniform', bound } });
    return specs;
  },
  forward(layer, inputs, params, ctx) {
    const bias = boolAttr(layer, 'bias', true) ? param(layer, params, 'bias') : undefined;
    const [x, weight, opts] = [onlyInput(layer, inputs), param(layer, params, 'weight'), options(layer)];
    return { output: ctx.wasm ? convTranspose2dForwardWasm(x, weight, bias, opts, ctx.wasm) : convTranspose2dForward(x, weight, bias, opts, ctx.gemm) };
  },
};
