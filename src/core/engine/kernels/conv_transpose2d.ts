// torch.nn.ConvTranspose2d: GEMM + col2im. It scatters exactly where Conv2d with the same kernel,
// stride, padding and dilation gathers, so it reuses col2im with the analyzer's transposed record.

import type { AnalyzedLayer } from '../../analysis-types';
import type { Gemm } from '../gemm';
import { col2im } from '../im2col';
import { EngineError, formatShape, nchw, tensor, transpose, type Tensor } from '../tensor';
import { transposedGather, type GatherGeometry } from '../window';
import { addChannelBias } from './conv2d';
import { boolAttr, inputShapeOf, intAttr, onlyInput, outputShapeOf, param } from './attrs';
import type { LayerKernel, ParamSpec } from './types';

export interface ConvTransposeOptions {
  /** The gather geometry of the matching convolution (input = this layer's output). */
  geometry: GatherGeometry;
  groups: number;
}

/** x: [N, Cin, H, W], weight: [Cin, Cout/groups, KH, KW] (PyTorch's layout for transposed conv). */
export function convTranspose2dForward(x: Tensor, weight: Tensor, bias: Tensor | undefined, opts: ConvTransposeOptions, gemm: Gemm): Tensor {
  const [n, cin, inH, inW] = nchw(x, 'conv_transpose2d');
  const [wCin, coutG, kh, kw] = nchw(weight, 'conv_transpose2d weight');
  const { geometry: g, groups } = opts;
  if (wCin !== cin || cin % groups !== 0 || g.h.output !== inH || g.w.output !== inW || g.h.kernel !== kh || g.w.kernel !== kw) {
    throw new EngineError(`conv_transpose2d: input ${formatShape(x.shape)} and weight ${formatShape(weight.shape)} do not fit the geometry (groups ${groups})`);
  }
  const cinG = cin / groups;
  const cout = coutG * groups;
  const outH = g.h.input, outW = g.w.input;
  const rows = coutG * kh * kw;
  const inPlane = inH * inW;
  const y = tensor([n, cout, outH, outW]);
  const cols = new Float32Array(rows * inPlane);
  const weightT = new Float32Array(rows * cinG);
  for (let grp = 0; grp < groups; grp++) {
    // cols (coutG·KH·KW × H·W) = W_gᵀ · x_g
    transpose(weight.data.subarray(grp * cinG * rows, (grp + 1) * cinG * rows), cinG, rows, weightT);
    for (let b = 0; b < n; b++) {
      const xG = x.data.subarray((b * cin + grp * cinG) * inPlane);
      gemm(rows, inPlane, cinG, weightT, cinG, xG, inPlane, cols, inPlane, false);
      col2im(cols, coutG, g, y.data, (b * cout + grp * coutG) * outH * outW);
    }
  }
  if (bias !== undefined) addChannelBias(y, bias);
  return y;
}

export function convTransposeOptions(layer: AnalyzedLayer): ConvTransposeOptions {
  if (layer.transposed === undefined) throw new EngineError(`${layer.name}: the analysis has no transposed-convolution geometry`);
  return { geometry: transposedGather(layer.transposed), groups: intAttr(layer, 'groups', 1) };
}

export const convTranspose2dKernel: LayerKernel = {
  params(layer): ParamSpec[] {
    const { geometry: g, groups } = convTransposeOptions(layer);
    const cin = inputShapeOf(layer)[1] ?? 0;
    const cout = outputShapeOf(layer)[1] ?? 0;
    // PyTorch computes fan_in from dim 1 of the weight, which for a transposed conv is Cout/groups.
    const fanIn = (cout / groups) * g.h.kernel * g.w.kernel;
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    const specs: ParamSpec[] = [{ name: 'weight', shape: [cin, cout / groups, g.h.kernel, g.w.kernel], init: { kind: 'uniform', bound } }];
    if (boolAttr(layer, 'bias', true)) specs.push({ name: 'bias', shape: [cout], init: { kind: 'uniform', bound } });
    return specs;
  },
  forward(layer, inputs, params, ctx) {
    const bias = boolAttr(layer, 'bias', true) ? param(layer, params, 'bias') : undefined;
    return { output: convTranspose2dForward(onlyInput(layer, inputs), param(layer, params, 'weight'), bias, convTransposeOptions(layer), ctx.gemm) };
  },
};
