// TensorFlow's separableConv2d: a depthwise K×K convolution without bias (C·m channels, one input
// channel per group), then a 1×1 convolution to out_channels with the bias. Both run through
// conv2d's forward, so the backend choice and the weight packing carry over.

import { computeWindowGeometry } from '../../geometry';
import type { Tensor } from '../../engine/tensor';
import { boolAttr, geometryOf, inputShapeOf, intAttr, onlyInput, outputShapeOf, param } from '../kernel-util';
import { conv2dForward, conv2dForwardWasm, type ConvOptions } from '../conv2d/kernel';
import type { KernelContext, LayerKernel, ParamSpec } from '../kernel-types';

function conv(x: Tensor, weight: Tensor, bias: Tensor | undefined, opts: ConvOptions, ctx: KernelContext): Tensor {
  return ctx.wasm ? conv2dForwardWasm(x, weight, bias, opts, ctx.wasm) : conv2dForward(x, weight, bias, opts, ctx.gemm);
}

export const separableConv2dKernel: LayerKernel = {
  params(layer): ParamSpec[] {
    const g = geometryOf(layer);
    const c = inputShapeOf(layer)[1] ?? 0;
    const mid = c * intAttr(layer, 'depth_multiplier', 1);
    const out = outputShapeOf(layer)[1] ?? 0;
    // PyTorch's default bounds for the two convolutions (1/√fan_in), as for every random weight.
    const taps = g.h.kernel * g.w.kernel;
    const depthwiseBound = 1 / Math.sqrt(taps);
    const pointwiseBound = mid > 0 ? 1 / Math.sqrt(mid) : 0;
    const specs: ParamSpec[] = [
      { name: 'depthwise_weight', shape: [mid, 1, g.h.kernel, g.w.kernel], init: { kind: 'uniform', bound: depthwiseBound } },
      { name: 'pointwise_weight', shape: [out, mid, 1, 1], init: { kind: 'uniform', bound: pointwiseBound } },
    ];
    if (boolAttr(layer, 'bias', true)) specs.push({ name: 'bias', shape: [out], init: { kind: 'uniform', bound: pointwiseBound } });
    return specs;
  },
  forward(layer, inputs, params, ctx) {
    const x = onlyInput(layer, inputs);
    const g = geometryOf(layer);
    const depthwise = conv(x, param(layer, params, 'depthwise_weight'), undefined, { geometry: g, groups: x.shape[1] ?? 1 }, ctx);
    const pointwise = computeWindowGeometry({ input: [g.h.output, g.w.output], kernel: [1, 1], stride: [1, 1], padding: [0, 0], dilation: [1, 1] });
    const bias = boolAttr(layer, 'bias', true) ? param(layer, params, 'bias') : undefined;
    return { output: conv(depthwise, param(layer, params, 'pointwise_weight'), bias, { geometry: pointwise, groups: 1 }, ctx) };
  },
};
