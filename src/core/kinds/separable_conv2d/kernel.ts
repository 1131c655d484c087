// TensorFlow's separableConv2d: a depthwise K×K convolution without bias (C·m channels, one input
// channel per group), then a 1×1 convolution to out_channels with the bias. Both run through
// conv2d's forward, so the backend choice and the weight packing carry over.

import { computeWindowGeometry } from '../../geometry';
import type { Tensor } from '../../engine/tensor';
import { geometryOf, onlyInput, param } from '../kernel-util';
import { conv2dForward, conv2dForwardWasm, type ConvOptions } from '../conv2d/kernel';
import type { KernelContext, LayerKernel } from '../kernel-types';
import type { SeparableConv2dAttrs } from './def';

function conv(x: Tensor, weight: Tensor, bias: Tensor | undefined, opts: ConvOptions, ctx: KernelContext): Tensor {
  return ctx.wasm ? conv2dForwardWasm(x, weight, bias, opts, ctx.wasm) : conv2dForward(x, weight, bias, opts, ctx.gemm);
}

export const separableConv2dKernel: LayerKernel<SeparableConv2dAttrs> = {
  forward(layer, inputs, params, ctx) {
    const x = onlyInput(layer, inputs);
    const g = geometryOf(layer);
    const depthwise = conv(x, param(layer, params, 'depthwise_weight'), undefined, { geometry: g, groups: x.shape[1] ?? 1 }, ctx);
    const pointwise = computeWindowGeometry({
      input: [g.h.output, g.w.output],
      kernel: [1, 1],
      stride: [1, 1],
      padding: [0, 0],
      dilation: [1, 1],
    });
    const bias = layer.attrs.bias ? param(layer, params, 'bias') : undefined;
    return { output: conv(depthwise, param(layer, params, 'pointwise_weight'), bias, { geometry: pointwise, groups: 1 }, ctx) };
  },
};
