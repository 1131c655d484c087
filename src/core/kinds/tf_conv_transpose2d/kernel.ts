// TensorFlow's conv2dTranspose: the adjoint of the convolution whose input is this layer's output
// (H·S for 'same', H·S + max(K − S, 0) for 'valid') and whose output is this layer's input, with
// TensorFlow's padding for it (the odd pixel at the end). That convolution's geometry comes from
// computeWindowGeometry, the one source of window sizes; conv_transpose2d's GEMM + col2im (or its
// WebAssembly path) then scatters along it. Weight in PyTorch's layout, [Cin, Cout, KH, KW]: TF's
// kernel[kh, kw, co, ci] is weight[ci, co, kh, kw].

import { computeWindowGeometry } from '../../geometry';
import { onlyInput, outputShapeOf, param } from '../kernel-util';
import {
  convTranspose2dForward,
  convTranspose2dForwardWasm,
  convTransposeScratchBytes,
  type ConvTransposeOptions,
} from '../conv_transpose2d/kernel';
import type { KindLayer, LayerKernel } from '../kernel-types';
import type { TfConvTranspose2dAttrs } from './def';

function options(layer: KindLayer<TfConvTranspose2dAttrs>): ConvTransposeOptions {
  const out = outputShapeOf(layer);
  const { kernel_size: kernel, stride, padding } = layer.attrs;
  const geometry = computeWindowGeometry({ input: [out[2] ?? 0, out[3] ?? 0], kernel, stride, padding, dilation: [1, 1] });
  return { geometry, groups: 1 };
}

export const tfConvTranspose2dKernel: LayerKernel<TfConvTranspose2dAttrs> = {
  wasmScratchBytes: (layer) => convTransposeScratchBytes(layer, options(layer)),
  forward(layer, inputs, params, ctx) {
    const bias = layer.attrs.bias ? param(layer, params, 'bias') : undefined;
    const [x, weight, opts] = [onlyInput(layer, inputs), param(layer, params, 'weight'), options(layer)];
    return {
      output: ctx.wasm
        ? convTranspose2dForwardWasm(x, weight, bias, opts, ctx.wasm)
        : convTranspose2dForward(x, weight, bias, opts, ctx.gemm),
    };
  },
};
