// torch.nn.Conv2d: im2col + GEMM forward, and the backward pass (dx through col2im, dW, db).
// The forward has two paths: the TypeScript one (im2col bands + the context's GEMM), the
// reference, and the WebAssembly SIMD one (weights packed once per tensor, the column matrix
// gathered block by block into packed panels inside the module), where depthwise layers take the
// module's direct loop instead.

import type { Gemm } from '../../engine/gemm';
import { applyEpilogue } from '../../run/fusion';
import { col2im, im2col } from '../../engine/im2col';
import { EngineError, formatShape, nchw, emptyTensor, tensor, transpose, type Tensor } from '../../engine/tensor';
import { loadWasmGemm } from '../../engine/wasm/index';
import type { PackedWeights } from '../../engine/wasm/packed-weights';
import { uniformDrawOf } from '../../run/weights';
import type { GatherGeometry } from '../../engine/window';
import { checkShape, geometryOf, inputShapeOf, onlyInput, outputShapeOf, param } from '../kernel-util';
import type { Epilogue, KindLayer, LayerKernel } from '../kernel-types';
import type { Conv2dAttrs } from './def';

export interface ConvOptions {
  geometry: GatherGeometry;
  groups: number;
  /** Column matrices above this many floats (default 2^21, 8 MiB) are built a band of output rows at a time. */
  maxColumnFloats?: number;
}

const DEFAULT_MAX_COLUMN_FLOATS = 1 << 21;

interface ConvDims {
  n: number;
  cin: number;
  cinG: number;
  cout: number;
  coutG: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  /** Rows of the column matrix: Cin/groups · KH · KW. */
  rows: number;
  /** A 1×1 kernel with stride 1 and no padding reads the input as it is: no gather needed. */
  direct: boolean;
}

function convDims(x: Tensor, weight: Tensor, opts: ConvOptions): ConvDims {
  const [n, cin, inH, inW] = nchw(x, 'conv2d');
  const [cout, cinG, kh, kw] = nchw(weight, 'conv2d weight');
  const { geometry: g, groups } = opts;
  if (cin !== cinG * groups || cout % groups !== 0 || g.h.input !== inH || g.w.input !== inW || g.h.kernel !== kh || g.w.kernel !== kw) {
    throw new EngineError(
      `conv2d: input ${formatShape(x.shape)} and weight ${formatShape(weight.shape)} do not fit the geometry (groups ${groups})`,
    );
  }
  const outH = g.h.output,
    outW = g.w.output;
  const direct =
    kh === 1 &&
    kw === 1 &&
    g.h.stride === 1 &&
    g.w.stride === 1 &&
    g.h.padBefore === 0 &&
    g.w.padBefore === 0 &&
    outH === inH &&
    outW === inW;
  return { n, cin, cinG, cout, coutG: cout / groups, inH, inW, outH, outW, rows: cinG * kh * kw, direct };
}

export function conv2dForward(x: Tensor, weight: Tensor, bias: Tensor | undefined, opts: ConvOptions, gemm: Gemm): Tensor {
  const { n, cin, cinG, cout, coutG, inH, inW, outH, outW, rows, direct } = convDims(x, weight, opts);
  const { geometry: g, groups } = opts;
  const outPlane = outH * outW;
  const y = tensor([n, cout, outH, outW]);
  const band = Math.max(1, Math.min(outH, Math.floor((opts.maxColumnFloats ?? DEFAULT_MAX_COLUMN_FLOATS) / Math.max(1, rows * outW))));
  const cols = direct ? undefined : new Float32Array(rows * band * outW);
  for (let b = 0; b < n; b++) {
    for (let grp = 0; grp < groups; grp++) {
      const xOffset = (b * cin + grp * cinG) * inH * inW;
      const yOffset = (b * cout + grp * coutG) * outPlane;
      const w = weight.data.subarray(grp * coutG * rows, (grp + 1) * coutG * rows);
      if (cols === undefined) {
        gemm(coutG, outPlane, rows, w, rows, x.data.subarray(xOffset), inH * inW, y.data.subarray(yOffset), outPlane, false);
        continue;
      }
      for (let oh0 = 0; oh0 < outH; oh0 += band) {
        const oh1 = Math.min(outH, oh0 + band);
        const width = (oh1 - oh0) * outW;
        im2col(x.data, xOffset, cinG, g, cols, 0, oh0, oh1);
        gemm(coutG, width, rows, w, rows, cols, width, y.data.subarray(yOffset + oh0 * outW), outPlane, false);
      }
    }
  }
  if (bias !== undefined) addChannelBias(y, bias);
  return y;
}

/**
 * The same convolution on the WebAssembly SIMD GEMM: per image and group, `WasmGemm.conv2d`
 * gathers the column matrix a cache block at a time straight into packed panels (it never exists
 * in full) and adds the bias in the GEMM's first pass; a 1×1 stride-1 kernel multiplies the input
 * planes directly. Depthwise layers (one input channel per group) take the module's direct loop.
 */
export function conv2dForwardWasm(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | undefined,
  opts: ConvOptions,
  packs: PackedWeights,
  epilogue: Epilogue = {},
): Tensor {
  const { n, cin, cinG, cout, coutG, inH, inW, outH, outW, rows, direct } = convDims(x, weight, opts);
  const { geometry: g, groups } = opts;
  // Every element is written: by the GEMM (no accumulate) or the depthwise loop.
  const y = emptyTensor([n, cout, outH, outW]);
  const wasm = packs.gemm;
  const { affine, relu = false, relu6 = false } = epilogue;
  // (Wider kernels than the module's direct loop takes go through the grouped GEMM below.)
  if (cinG === 1 && groups > 1 && g.w.kernel <= wasm.depthwiseMaxKernelWidth) {
    // The batch normalization folded as for the GEMM below, the folded weights kept in module
    // memory in the same cache as packed weights; the activation applied before
    // each output is stored.
    const folded = affine
      ? packs
          .get(
            weight,
            'depthwise + batch norm',
            () => {
              const buffer = wasm.allocate(weight.data.length);
              buffer.view().set(scaleRows(weight.data, affine.scale, rows));
              return [buffer];
            },
            affine.sources,
          )[0]!
          .view()
      : weight.data;
    const b = affine ? foldedBias(bias?.data, affine, cout) : bias?.data;
    const inPlane = inH * inW,
      outPlane = outH * outW;
    for (let image = 0; image < n; image++) {
      const xImage = x.data.subarray(image * cin * inPlane, (image + 1) * cin * inPlane);
      const yImage = y.data.subarray(image * cout * outPlane, (image + 1) * cout * outPlane);
      wasm.depthwiseConv2d(xImage, cin, coutG, g, folded, yImage, b === undefined ? { relu, relu6 } : { bias: b, relu, relu6 });
    }
    return y;
  }
  // A batch normalization after the convolution is folded into it: W' = W·scale per output
  // channel (packed once, like W), b' = b·scale + shift.
  const winograd = useWinograd(cinG, coutG, g);
  const packed = packs.get(
    weight,
    `conv2d groups ${groups}${affine ? ' + batch norm' : ''}${winograd ? ' winograd' : ''}`,
    () => {
      // Random weights made on demand are drawn by the packer, straight into the module's memory
      // (one group: the generator's stream runs through the whole tensor).
      const draw = affine === undefined && groups === 1 ? uniformDrawOf(weight) : undefined;
      if (draw !== undefined) return winograd ? wasm.packWinogradWeights(draw, coutG, cinG) : [wasm.packA(coutG, rows, draw)];
      const w = affine ? scaleRows(weight.data, affine.scale, rows) : weight.data;
      return Array.from({ length: groups }, (_, grp) => w.subarray(grp * coutG * rows, (grp + 1) * coutG * rows)).flatMap((wg) =>
        winograd ? wasm.packWinogradWeights(wg, coutG, cinG) : [wasm.packA(coutG, rows, wg)],
      );
    },
    affine?.sources,
  );
  const b = affine ? foldedBias(bias?.data, affine, cout) : bias?.data;
  const inPlane = inH * inW,
    outPlane = outH * outW;
  for (let image = 0; image < n; image++) {
    for (let grp = 0; grp < groups; grp++) {
      const xOffset = (image * cin + grp * cinG) * inPlane;
      const yOffset = (image * cout + grp * coutG) * outPlane;
      const xG = x.data.subarray(xOffset, xOffset + cinG * inPlane);
      const yG = y.data.subarray(yOffset, yOffset + coutG * outPlane);
      const biasG = b?.subarray(grp * coutG, (grp + 1) * coutG);
      const opts = biasG === undefined ? { relu, relu6 } : { bias: biasG, relu, relu6 };
      if (winograd) wasm.winogradConv3x3(xG, packed.slice(16 * grp, 16 * (grp + 1)), g, yG, opts);
      else if (direct)
        wasm.sgemm(coutG, outPlane, cinG, packed[grp]!, xG, yG, biasG === undefined ? { relu, relu6 } : { rowBias: biasG, relu, relu6 });
      else wasm.conv2d(xG, packed[grp]!, g, yG, opts);
    }
  }
  return y;
}

/**
 * Whether the WebAssembly path takes Winograd F(2×2, 3×3): a 3×3 kernel, stride 1, dilation 1,
 * and enough channels on both sides (16) that the 16 GEMMs, not the tile transforms, dominate.
 */
export function useWinograd(cinG: number, coutG: number, g: GatherGeometry): boolean {
  return (
    g.h.kernel === 3 &&
    g.w.kernel === 3 &&
    g.h.stride === 1 &&
    g.w.stride === 1 &&
    g.h.dilation === 1 &&
    g.w.dilation === 1 &&
    cinG >= 16 &&
    coutG >= 16 &&
    g.h.output >= 2 &&
    g.w.output >= 2
  );
}

/** The module memory a WebAssembly forward of this layer stages Winograd tiles in (0 when it does not). */
export function conv2dScratchBytes(layer: KindLayer<{ groups: number }>): number {
  const g = geometryOf(layer);
  const groups = layer.attrs.groups;
  const cinG = (inputShapeOf(layer)[1] ?? 0) / groups,
    coutG = (outputShapeOf(layer)[1] ?? 0) / groups;
  if (!useWinograd(cinG, coutG, g)) return 0;
  // The module's own figure, with the staging block's quarter of headroom.
  return Math.ceil((loadWasmGemm()?.winogradWorkspaceBytes(cinG, coutG, g.h.output, g.w.output) ?? 0) * 1.25);
}

/** b' = b·scale + shift per output channel: the bias with a batch normalization folded in. */
function foldedBias(bias: Float32Array | undefined, affine: NonNullable<Epilogue['affine']>, cout: number): Float32Array {
  const b = new Float32Array(cout);
  for (let co = 0; co < cout; co++) b[co] = (bias?.[co] ?? 0) * affine.scale[co]! + affine.shift[co]!;
  return b;
}

/** Row r of a rows × width matrix times scale[r], as a new array. */
function scaleRows(w: Float32Array, scale: Float64Array, width: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = w[i]! * scale[Math.floor(i / width)]!;
  return out;
}

export function addChannelBias(y: Tensor, bias: Tensor): void {
  const [n, c, h, w] = nchw(y, 'bias');
  const plane = h * w;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const v = bias.data[ch]!;
      const start = (b * c + ch) * plane;
      for (let i = start; i < start + plane; i++) y.data[i] = y.data[i]! + v;
    }
  }
}

/** Sum of dy over N, H and W for each channel: the bias gradient. */
export function channelSums(dy: Tensor): Tensor {
  const [n, c, h, w] = nchw(dy, 'bias gradient');
  const out = tensor([c]);
  const plane = h * w;
  for (let ch = 0; ch < c; ch++) {
    let sum = 0;
    for (let b = 0; b < n; b++) {
      const start = (b * c + ch) * plane;
      for (let i = start; i < start + plane; i++) sum += dy.data[i]!;
    }
    out.data[ch] = sum;
  }
  return out;
}

export interface ConvGradients {
  dx: Tensor;
  dWeight: Tensor;
  dBias: Tensor;
}

export function conv2dBackward(x: Tensor, weight: Tensor, dy: Tensor, opts: ConvOptions, gemm: Gemm): ConvGradients {
  const [n, cin, inH, inW] = nchw(x, 'conv2d backward');
  const [cout, cinG, kh, kw] = nchw(weight, 'conv2d weight');
  const { geometry: g, groups } = opts;
  const outH = g.h.output,
    outW = g.w.output;
  checkShape('conv2d backward dy', dy, [n, cout, outH, outW]);
  const coutG = cout / groups;
  const rows = cinG * kh * kw;
  const outPlane = outH * outW;
  const dx = tensor(x.shape);
  const dWeight = tensor(weight.shape);
  const cols = new Float32Array(rows * outPlane);
  const colsT = new Float32Array(rows * outPlane);
  const dCols = new Float32Array(rows * outPlane);
  const weightT = new Float32Array(rows * coutG);
  for (let grp = 0; grp < groups; grp++) {
    const w = weight.data.subarray(grp * coutG * rows, (grp + 1) * coutG * rows);
    transpose(w, coutG, rows, weightT);
    const dW = dWeight.data.subarray(grp * coutG * rows, (grp + 1) * coutG * rows);
    for (let b = 0; b < n; b++) {
      const xOffset = (b * cin + grp * cinG) * inH * inW;
      const dyG = dy.data.subarray((b * cout + grp * coutG) * outPlane, (b * cout + (grp + 1) * coutG) * outPlane);
      // dW += dy (coutG × P) · colsᵀ (P × rows)
      im2col(x.data, xOffset, cinG, g, cols);
      transpose(cols, rows, outPlane, colsT);
      gemm(coutG, rows, outPlane, dyG, outPlane, colsT, rows, dW, rows, true);
      // dcols = Wᵀ (rows × coutG) · dy (coutG × P), scattered back onto dx
      gemm(rows, outPlane, coutG, weightT, coutG, dyG, outPlane, dCols, outPlane, false);
      col2im(dCols, cinG, g, dx.data, xOffset);
    }
  }
  return { dx, dWeight, dBias: channelSums(dy) };
}

export function conv2dOptions(layer: KindLayer<{ groups: number }>): ConvOptions {
  return { geometry: geometryOf(layer), groups: layer.attrs.groups };
}

/** Also depthwise_conv2d's kernel: any attributes with groups and bias. */
export const conv2dKernel: LayerKernel<Pick<Conv2dAttrs, 'groups' | 'bias'>> = {
  wasmScratchBytes: conv2dScratchBytes,
  forward(layer, inputs, params, ctx) {
    const bias = layer.attrs.bias ? param(layer, params, 'bias') : undefined;
    const [x, weight, opts] = [onlyInput(layer, inputs), param(layer, params, 'weight'), conv2dOptions(layer)];
    return { output: ctx.wasm ? conv2dForwardWasm(x, weight, bias, opts, ctx.wasm) : conv2dForward(x, weight, bias, opts, ctx.gemm) };
  },
  forwardFused(layer, inputs, params, ctx, epilogue) {
    const bias = layer.attrs.bias ? param(layer, params, 'bias') : undefined;
    const [x, weight, opts] = [onlyInput(layer, inputs), param(layer, params, 'weight'), conv2dOptions(layer)];
    if (ctx.wasm) return { output: conv2dForwardWasm(x, weight, bias, opts, ctx.wasm, epilogue) };
    const y = conv2dForward(x, weight, bias, opts, ctx.gemm);
    applyEpilogue(y, epilogue);
    return { output: y };
  },
  backward(layer, inputs, params, _forward, dy, ctx) {
    const grads = conv2dBackward(onlyInput(layer, inputs), param(layer, params, 'weight'), dy, conv2dOptions(layer), ctx.gemm);
    const out: Record<string, Tensor> = { weight: grads.dWeight };
    if (layer.attrs.bias) out.bias = grads.dBias;
    return { inputs: [grads.dx], params: out };
  },
};
