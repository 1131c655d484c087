// PyTorch leaf modules and functional ops on the graph: parameters, output shapes, THOP's operation
// counts (thop 0.1.1 rules, as Ultralytics' get_flops used them) and ConvLens MACs.
//
// THOP rules used here: conv (and transposed conv) = output elements × in/groups × kh × kw, bias not
// counted; BatchNorm = 2 ops an input element, doubled when affine; nearest upsample = 1 an output
// element; Linear = in_features an output element; AdaptiveAvgPool2d = (kernel area + 1) an output
// element; activations, pooling, padding, dropout, identity and every functional op = 0.
// ConvLens MACs (README, Counting conventions): conv2d and linear only, bias excluded.

import { GraphBuilder, LeafModule, RowError, Shape, Tensor, fmtShape, numel } from './graph';

export const BN_THOP_OPS_PER_ELEMENT = 4;

function windowOut(size: number, k: number, s: number, p: number, d: number, what: string): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  const out = Math.floor(span / s) + 1;
  if (out < 1) {
    throw new RowError(`${what}: (${size} + 2·${p} − ${d}·(${k} − 1) − 1) / ${s} + 1 = ${out} is not a positive size`);
  }
  return out;
}

function expect4d(x: Tensor, what: string): [number, number, number, number] {
  if (x.shape.length !== 4) throw new RowError(`${what} expects an NCHW tensor, got ${fmtShape(x.shape)}`);
  return x.shape as [number, number, number, number];
}

export interface Conv2dOptions {
  cin: number;
  cout: number;
  k: number;
  s?: number;
  p?: number;
  d?: number;
  g?: number;
  bias?: boolean;
  frozen?: boolean;
}

export function conv2dLeaf(b: GraphBuilder, name: string, o: Conv2dOptions): LeafModule {
  const { cin, cout, k, s = 1, p = 0, d = 1, g = 1, bias = true } = o;
  if (!Number.isInteger(cin) || !Number.isInteger(cout) || cin < 1 || cout < 1) {
    throw new RowError(`${name}: Conv2d(${cin}, ${cout}) needs positive integer channel counts`);
  }
  if (cin % g !== 0 || cout % g !== 0) {
    throw new RowError(`${name}: groups=${g} must divide in_channels=${cin} and out_channels=${cout}`);
  }
  const params = cout * (cin / g) * k * k + (bias ? cout : 0);
  return b.leaf(
    name,
    'conv2d',
    { in_channels: cin, out_channels: cout, kernel_size: [k, k], stride: [s, s], padding: [p, p], dilation: [d, d], groups: g, bias },
    params,
    o.frozen ? params : 0,
  );
}

export function callConv2d(b: GraphBuilder, leaf: LeafModule, x: Tensor): Tensor {
  const a = leaf.attrs;
  const [n, c, h, w] = expect4d(x, leaf.name);
  const cin = a.in_channels as number;
  const cout = a.out_channels as number;
  const g = a.groups as number;
  const [k] = a.kernel_size as number[];
  const [s] = a.stride as number[];
  const [p] = a.padding as number[];
  const [d] = a.dilation as number[];
  if (c !== cin) {
    throw new RowError(`${leaf.name}: Conv2d expects ${cin} input channels, the input ${fmtShape(x.shape)} has ${c}`);
  }
  const out = [n, cout, windowOut(h, k!, s!, p!, d!, `${leaf.name} height`), windowOut(w, k!, s!, p!, d!, `${leaf.name} width`)];
  const ops = numel(out) * (cin / g) * k! * k!;
  return b.call(leaf, leaf.name, [x], out, ops, ops);
}

export function conv2d(b: GraphBuilder, name: string, x: Tensor, o: Conv2dOptions): Tensor {
  return callConv2d(b, conv2dLeaf(b, name, o), x);
}

export function convTranspose2d(
  b: GraphBuilder,
  name: string,
  x: Tensor,
  o: { cin: number; cout: number; k: number; s: number; p: number; bias: boolean },
): Tensor {
  const { cin, cout, k, s, p, bias } = o;
  const [n, c, h, w] = expect4d(x, name);
  if (c !== cin) throw new RowError(`${name}: ConvTranspose2d expects ${cin} input channels, the input ${fmtShape(x.shape)} has ${c}`);
  const leaf = b.leaf(
    name,
    'conv_transpose2d',
    {
      in_channels: cin,
      out_channels: cout,
      kernel_size: [k, k],
      stride: [s, s],
      padding: [p, p],
      output_padding: [0, 0],
      dilation: [1, 1],
      groups: 1,
      bias,
    },
    cin * cout * k * k + (bias ? cout : 0),
  );
  const oh = (h - 1) * s - 2 * p + k;
  const ow = (w - 1) * s - 2 * p + k;
  if (oh < 1 || ow < 1) throw new RowError(`${name}: ConvTranspose2d output ${oh}×${ow} is empty`);
  const out = [n, cout, oh, ow];
  // THOP's conv rule reads the output size and in_channels for transposed convs too.
  const thop = numel(out) * cin * k * k;
  // ConvLens's convention counts a transposed conv as 0 MACs (README, Counting conventions).
  return b.call(leaf, name, [x], out, thop, 0);
}

export function batchnorm2d(b: GraphBuilder, name: string, x: Tensor, c: number): Tensor {
  const leaf = b.leaf(name, 'batchnorm2d', { num_features: c, eps: 1e-5, momentum: 0.1, affine: true }, 2 * c);
  if (x.shape[1] !== c) throw new RowError(`${name}: BatchNorm2d(${c}) got ${fmtShape(x.shape)}`);
  return b.call(leaf, name, [x], x.shape, BN_THOP_OPS_PER_ELEMENT * numel(x.shape), 0);
}

/** Calls an activation leaf (shape-preserving, 0 ops). */
export function callElementwise(b: GraphBuilder, leaf: LeafModule, name: string, x: Tensor): Tensor {
  return b.call(leaf, name, [x], x.shape);
}

export function maxpool2d(b: GraphBuilder, name: string, x: Tensor, k: number, s: number, p: number): Tensor {
  const leaf = b.leaf(name, 'maxpool2d', { kernel_size: [k, k], stride: [s, s], padding: [p, p], dilation: [1, 1], ceil_mode: false }, 0);
  return callMaxpool2d(b, leaf, name, x);
}

export function callMaxpool2d(b: GraphBuilder, leaf: LeafModule, name: string, x: Tensor): Tensor {
  const [n, c, h, w] = expect4d(x, name);
  const [k] = leaf.attrs.kernel_size as number[];
  const [s] = leaf.attrs.stride as number[];
  const [p] = leaf.attrs.padding as number[];
  if (2 * p! > k!) throw new RowError(`${name}: MaxPool2d padding ${p} must be at most half of kernel_size ${k}`);
  const out = [n, c, windowOut(h, k!, s!, p!, 1, `${name} height`), windowOut(w, k!, s!, p!, 1, `${name} width`)];
  return b.call(leaf, name, [x], out);
}

export function upsampleNearest(b: GraphBuilder, name: string, x: Tensor, scale: number, mode: string): Tensor {
  const [n, c, h, w] = expect4d(x, name);
  const leaf = b.leaf(name, 'upsample', { scale_factor: scale, mode }, 0);
  const out = [n, c, Math.floor(h * scale), Math.floor(w * scale)];
  const thop = mode === 'nearest' ? numel(out) : 0;
  return b.call(leaf, name, [x], out, thop, 0);
}

export function zeroPad2d(b: GraphBuilder, name: string, x: Tensor, pad: [number, number, number, number]): Tensor {
  const [n, c, h, w] = expect4d(x, name);
  const leaf = b.leaf(name, 'zero_padding2d', { left: pad[0], right: pad[1], top: pad[2], bottom: pad[3] }, 0);
  return b.call(leaf, name, [x], [n, c, h + pad[2] + pad[3], w + pad[0] + pad[1]]);
}

export function identity(b: GraphBuilder, name: string, x: Tensor): Tensor {
  return b.call(b.leaf(name, 'identity', {}, 0), name, [x], x.shape);
}

export function adaptiveAvgpool2d1(b: GraphBuilder, name: string, x: Tensor): Tensor {
  const [n, c, h, w] = expect4d(x, name);
  const leaf = b.leaf(name, 'adaptive_avgpool2d', { output_size: [1, 1] }, 0);
  const out = [n, c, 1, 1];
  return b.call(leaf, name, [x], out, (h * w + 1) * numel(out), 0);
}

export function dropout(b: GraphBuilder, name: string, x: Tensor, p: number): Tensor {
  return b.call(b.leaf(name, 'dropout', { p }, 0), name, [x], x.shape);
}

export function linear(b: GraphBuilder, name: string, x: Tensor, fin: number, fout: number): Tensor {
  const leaf = b.leaf(name, 'linear', { in_features: fin, out_features: fout, bias: true }, fin * fout + fout);
  if (x.shape[x.shape.length - 1] !== fin) throw new RowError(`${name}: Linear(${fin}, ${fout}) got ${fmtShape(x.shape)}`);
  const out = [...x.shape.slice(0, -1), fout];
  return b.call(leaf, name, [x], out, numel(out) * fin, numel(out) * fin);
}

// ---- functional ops (no module, 0 THOP ops) ----

/** torch.cat; with `asModule` it is a call of Ultralytics' Concat module (a leaf with no parameters). */
export function cat(b: GraphBuilder, name: string, xs: Tensor[], dim = 1, asModule = false): Tensor {
  const first = xs[0];
  if (!first) throw new RowError(`${name}: torch.cat of no tensors`);
  const rank = first.shape.length;
  const d = dim < 0 ? rank + dim : dim;
  let total = 0;
  for (const t of xs) {
    if (t.shape.length !== rank || t.shape.some((v, i) => i !== d && v !== first.shape[i])) {
      throw new RowError(
        `${name}: torch.cat along dim ${dim} needs equal sizes elsewhere, got ${xs.map((u) => fmtShape(u.shape)).join(' and ')}`,
      );
    }
    total += t.shape[d]!;
  }
  const out = first.shape.slice();
  out[d] = total;
  if (asModule) return b.call(b.leaf(name, 'concat', { dim }, 0), name, xs, out);
  return b.fn1('concat', name, { dim }, xs, out);
}

export function add(b: GraphBuilder, name: string, xs: Tensor[]): Tensor {
  const first = xs[0]!;
  for (const t of xs) {
    if (fmtShape(t.shape) !== fmtShape(first.shape)) {
      throw new RowError(`${name}: adding ${xs.map((u) => fmtShape(u.shape)).join(' + ')} needs equal shapes`);
    }
  }
  return b.fn1('add', name, {}, xs, first.shape);
}

export function split(b: GraphBuilder, name: string, x: Tensor, sizes: number[], dim: number, kind = 'split'): Tensor[] {
  const have = x.shape[dim]!;
  const sum = sizes.reduce((a, v) => a + v, 0);
  if (sum !== have) throw new RowError(`${name}: splitting ${have} channels into ${sizes.join(' + ')} = ${sum}`);
  return b.fn(
    kind,
    name,
    { split_sizes: sizes, dim },
    [x],
    sizes.map((s) => x.shape.map((v, i) => (i === dim ? s : v))),
  );
}

export function chunk(b: GraphBuilder, name: string, x: Tensor, chunks: number, dim: number): Tensor[] {
  const have = x.shape[dim]!;
  if (have % chunks !== 0) throw new RowError(`${name}: chunk(${chunks}) of ${have} channels is uneven`);
  const out = split(
    b,
    name,
    x,
    Array.from({ length: chunks }, () => have / chunks),
    dim,
    'chunk',
  );
  return out;
}

export function reshape(b: GraphBuilder, name: string, x: Tensor, shape: Shape): Tensor {
  if (numel(shape) !== numel(x.shape)) throw new RowError(`${name}: cannot view ${fmtShape(x.shape)} as ${fmtShape(shape)}`);
  return b.fn1('reshape', name, { shape }, [x], shape);
}

/** Batched matmul of a [..., m, k] and b [..., k, n]; transposes are folded into the attrs. */
export function matmul(
  bld: GraphBuilder,
  name: string,
  a: Tensor,
  bT: Tensor,
  opts: { transposeA?: boolean; transposeB?: boolean },
): Tensor {
  const sa = a.shape.slice();
  const sb = bT.shape.slice();
  const r = sa.length;
  const swap = (s: Shape) => {
    const t = s[r - 1]!;
    s[r - 1] = s[r - 2]!;
    s[r - 2] = t;
  };
  if (opts.transposeA) swap(sa);
  if (opts.transposeB) swap(sb);
  const m = sa[r - 2]!;
  const k = sa[r - 1]!;
  const n = sb[r - 1]!;
  if (sb[r - 2] !== k) throw new RowError(`${name}: matmul of ${fmtShape(sa)} and ${fmtShape(sb)}: inner sizes differ`);
  const out = [...sa.slice(0, -2), m, n];
  // ConvLens's MAC convention counts conv2d and linear only; the multiply-adds are kept as an attr.
  const multiplyAdds = numel(sa.slice(0, -2)) * m * n * k;
  return bld.fn1(
    'matmul',
    name,
    { transpose_a: !!opts.transposeA, transpose_b: !!opts.transposeB, multiply_adds: multiplyAdds },
    [a, bT],
    out,
    0,
  );
}

export function softmax(b: GraphBuilder, name: string, x: Tensor, dim: number): Tensor {
  return b.fn1('softmax', name, { dim }, [x], x.shape);
}

export function mulScalar(b: GraphBuilder, name: string, x: Tensor, scalar: number): Tensor {
  return b.fn1('mul', name, { scalar }, [x], x.shape);
}

export function mul(b: GraphBuilder, name: string, x: Tensor, y: Tensor): Tensor {
  return b.fn1('mul', name, {}, [x, y], x.shape);
}

/** F.avg_pool2d / F.max_pool2d / F.interpolate: functional, so THOP does not see them. */
export function functionalPool(
  b: GraphBuilder,
  kind: 'avgpool2d' | 'maxpool2d',
  name: string,
  x: Tensor,
  k: number,
  s: number,
  p: number,
  extra: Record<string, boolean> = {},
): Tensor {
  const [n, c, h, w] = expect4d(x, name);
  const out = [n, c, windowOut(h, k, s, p, 1, `${name} height`), windowOut(w, k, s, p, 1, `${name} width`)];
  return b.fn1(kind, name, { kernel_size: [k, k], stride: [s, s], padding: [p, p], ...extra }, [x], out);
}

export function interpolateNearest(b: GraphBuilder, name: string, x: Tensor, size: [number, number]): Tensor {
  const [n, c] = expect4d(x, name);
  return b.fn1('upsample', name, { size, mode: 'nearest', functional: true }, [x], [n, c, size[0], size[1]]);
}

export function flatten(b: GraphBuilder, name: string, x: Tensor, startDim: number): Tensor {
  const out = [...x.shape.slice(0, startDim), numel(x.shape.slice(startDim))];
  return b.fn1('flatten', name, { start_dim: startDim }, [x], out);
}

export function shapeOf(t: Tensor): Shape {
  return t.shape;
}
