// torch.nn.ConvTranspose2d: GEMM + col2im. It scatters exactly where Conv2d with the same kernel,
// stride, padding and dilation gathers, so it reuses col2im with the analyzer's transposed record.
// On the WebAssembly path the weights are packed once (transposed as they are packed) and only
// the product runs in the module; col2im stays here.

import type { AnalyzedLayer } from '../../analyze/analysis-types';
import type { Gemm } from '../../engine/gemm';
import { col2im } from '../../engine/im2col';
import { EngineError, formatShape, nchw, tensor, transpose, type Tensor } from '../../engine/tensor';
import type { PackedWeights } from '../../engine/wasm/packed-weights';
import { transposedGather, type GatherGeometry } from '../../engine/window';
import { addChannelBias } from '../conv2d/kernel';
import { inputShapeOf, onlyInput, outputShapeOf, param } from '../kernel-util';
import type { KindLayer, LayerKernel } from '../kernel-types';
import type { ConvTranspose2dAttrs } from './def';

export interface ConvTransposeOptions {
  /** The gather geometry of the matching convolution (input = this layer's output). */
  geometry: GatherGeometry;
  groups: number;
}

interface ConvTransposeDims {
  n: number;
  cin: number;
  cinG: number;
  cout: number;
  coutG: number;
  outH: number;
  outW: number;
  /** Rows of the column matrix: Cout/groups · KH · KW. */
  rows: number;
  inPlane: number;
}

function convTransposeDims(x: Tensor, weight: Tensor, opts: ConvTransposeOptions): ConvTransposeDims {
  const [n, cin, inH, inW] = nchw(x, 'conv_transpose2d');
  const [wCin, coutG, kh, kw] = nchw(weight, 'conv_transpose2d weight');
  const { geometry: g, groups } = opts;
  if (wCin !== cin || cin % groups !== 0 || g.h.output !== inH || g.w.output !== inW || g.h.kernel !== kh || g.w.kernel !== kw) {
    throw new EngineError(
      `conv_transpose2d: input ${formatShape(x.shape)} and weight ${formatShape(weight.shape)} do not fit the geometry (groups ${groups})`,
    );
  }
  return {
    n,
    cin,
    cinG: cin / groups,
    cout: coutG * groups,
    coutG,
    outH: g.h.input,
    outW: g.w.input,
    rows: coutG * kh * kw,
    inPlane: inH * inW,
  };
}

/** x: [N, Cin, H, W], weight: [Cin, Cout/groups, KH, KW] (PyTorch's layout for transposed conv). */
export function convTranspose2dForward(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | undefined,
  opts: ConvTransposeOptions,
  gemm: Gemm,
): Tensor {
  const { n, cin, cinG, cout, coutG, outH, outW, rows, inPlane } = convTransposeDims(x, weight, opts);
  const { geometry: g, groups } = opts;
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

/**
 * The same on the WebAssembly GEMM: W_gᵀ packed once per group (`packA` reads the Cin/groups ×
 * Cout/groups·KH·KW slice transposed), the column matrix written into module memory, col2im here.
 */
export function convTranspose2dForwardWasm(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | undefined,
  opts: ConvTransposeOptions,
  packs: PackedWeights,
): Tensor {
  const { n, cin, cinG, cout, coutG, outH, outW, rows, inPlane } = convTransposeDims(x, weight, opts);
  const { geometry: g, groups } = opts;
  const wasm = packs.gemm;
  const packed = packs.get(weight, `conv_transpose2d groups ${groups}`, () =>
    Array.from({ length: groups }, (_, grp) =>
      wasm.packA(rows, cinG, weight.data.subarray(grp * cinG * rows, (grp + 1) * cinG * rows), { transposed: true }),
    ),
  );
  const y = tensor([n, cout, outH, outW]);
  const cols = wasm.allocate(rows * inPlane);
  try {
    for (let grp = 0; grp < groups; grp++) {
      for (let b = 0; b < n; b++) {
        const xOffset = (b * cin + grp * cinG) * inPlane;
        // cols (Cout/groups·KH·KW × H·W) = W_gᵀ · x_g. Fresh views: staging may grow the memory.
        wasm.sgemm(rows, inPlane, cinG, packed[grp]!, x.data.subarray(xOffset, xOffset + cinG * inPlane), cols.view());
        col2im(cols.view(), coutG, g, y.data, (b * cout + grp * coutG) * outH * outW);
      }
    }
  } finally {
    cols.dispose();
  }
  if (bias !== undefined) addChannelBias(y, bias);
  return y;
}

export function convTransposeOptions(layer: KindLayer<{ groups: number }>): ConvTransposeOptions {
  if (layer.transposed === undefined) throw new EngineError(`${layer.name}: the analysis has no transposed-convolution geometry`);
  return { geometry: transposedGather(layer.transposed), groups: layer.attrs.groups };
}

/** The column matrix the WebAssembly forward allocates: Cout/groups·KH·KW × H·W floats. */
export function convTransposeScratchBytes(
  layer: Pick<AnalyzedLayer, 'name' | 'kind' | 'inputShapes' | 'outputShape'>,
  { geometry: g, groups }: ConvTransposeOptions,
): number {
  const [, , inH = 0, inW = 0] = inputShapeOf(layer);
  const cout = outputShapeOf(layer)[1] ?? 0;
  return (cout / groups) * g.h.kernel * g.w.kernel * inH * inW * 4;
}

export const convTranspose2dKernel: LayerKernel<ConvTranspose2dAttrs> = {
  wasmScratchBytes: (layer) => convTransposeScratchBytes(layer, convTransposeOptions(layer)),
  forward(layer, inputs, params, ctx) {
    const bias = layer.attrs.bias ? param(layer, params, 'bias') : undefined;
    const [x, weight, opts] = [onlyInput(layer, inputs), param(layer, params, 'weight'), convTransposeOptions(layer)];
    return {
      output: ctx.wasm
        ? convTranspose2dForwardWasm(x, weight, bias, opts, ctx.wasm)
        : convTranspose2dForward(x, weight, bias, opts, ctx.gemm),
    };
  },
};
