// Ultralytics' building blocks (ultralytics/nn/modules/conv.py and block.py), each as its leaf
// modules and its training-mode forward on the graph. Written from Ultralytics' documented structure;
// the argument order of every function is the Python constructor's.

import { GraphBuilder, RowError, Tensor, fmtShape } from './graph';
import * as nn from './nn';

/** What `Conv.default_act` is: SiLU unless the YAML's `activation` replaced it. */
export interface ActivationSpec {
  kind: string;
  attrs: Record<string, number>;
}

export interface Ctx {
  b: GraphBuilder;
  defaultAct: ActivationSpec;
}

/** `act` argument of Conv: True (the shared default), False (a new Identity), or a module of its own. */
export type ActArg = boolean | ActivationSpec;

export function autopad(k: number, p: number | null, d = 1): number {
  const ke = d > 1 ? d * (k - 1) + 1 : k;
  return p === null ? Math.floor(ke / 2) : p;
}

function applyAct(ctx: Ctx, name: string, x: Tensor, act: ActArg): Tensor {
  const b = ctx.b;
  if (act === true) {
    const leaf = b.sharedLeaf('Conv.default_act', name, ctx.defaultAct.kind);
    Object.assign(leaf.attrs, ctx.defaultAct.attrs);
    return nn.callElementwise(b, leaf, name, x);
  }
  if (act === false) return nn.identity(b, name, x);
  return nn.callElementwise(b, b.leaf(name, act.kind, { ...act.attrs }, 0), name, x);
}

export function Conv(
  ctx: Ctx,
  name: string,
  x: Tensor,
  c1: number,
  c2: number,
  k = 1,
  s = 1,
  p: number | null = null,
  g = 1,
  d = 1,
  act: ActArg = true,
): Tensor {
  const y = nn.conv2d(ctx.b, `${name}.conv`, x, { cin: c1, cout: c2, k, s, p: autopad(k, p, d), d, g, bias: false });
  const z = nn.batchnorm2d(ctx.b, `${name}.bn`, y, c2);
  return applyAct(ctx, `${name}.act`, z, act);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function DWConv(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, k = 1, s = 1, d = 1, act: ActArg = true): Tensor {
  return Conv(ctx, name, x, c1, c2, k, s, null, gcd(c1, c2), d, act);
}

export function GhostConv(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, k = 1, s = 1, g = 1, act: ActArg = true): Tensor {
  const c = Math.floor(c2 / 2);
  const y = Conv(ctx, `${name}.cv1`, x, c1, c, k, s, null, g, 1, act);
  const z = Conv(ctx, `${name}.cv2`, y, c, c, 5, 1, null, c, 1, act);
  return nn.cat(ctx.b, `${name}.cat`, [y, z]);
}

export function Bottleneck(
  ctx: Ctx,
  name: string,
  x: Tensor,
  c1: number,
  c2: number,
  shortcut = true,
  g = 1,
  k: [number, number] = [3, 3],
  e = 0.5,
): Tensor {
  const c = Math.trunc(c2 * e);
  const y = Conv(ctx, `${name}.cv2`, Conv(ctx, `${name}.cv1`, x, c1, c, k[0], 1), c, c2, k[1], 1, null, g);
  return shortcut && c1 === c2 ? nn.add(ctx.b, `${name}.add`, [x, y]) : y;
}

/** A Bottleneck whose cv1 is a RepConv (YOLOv9's RepCSP). */
function RepBottleneck(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, shortcut = true, g = 1, e = 0.5): Tensor {
  const c = Math.trunc(c2 * e);
  const y = Conv(ctx, `${name}.cv2`, RepConv(ctx, `${name}.cv1`, x, c1, c, 3, 1), c, c2, 3, 1, null, g);
  return shortcut && c1 === c2 ? nn.add(ctx.b, `${name}.add`, [x, y]) : y;
}

/** RepConv (unfused, bn=False): two Conv(act=False) branches summed, then RepConv's own shared SiLU. */
function RepConv(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, k = 3, s = 1, p = 1, g = 1): Tensor {
  const a = Conv(ctx, `${name}.conv1`, x, c1, c2, k, s, p, g, 1, false);
  const c = Conv(ctx, `${name}.conv2`, x, c1, c2, 1, s, p - Math.floor(k / 2), g, 1, false);
  const sum = nn.add(ctx.b, `${name}.add`, [a, c]);
  const leaf = ctx.b.sharedLeaf('RepConv.default_act', `${name}.act`, 'silu');
  return nn.callElementwise(ctx.b, leaf, `${name}.act`, sum);
}

export function C2(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, n = 1, shortcut = true, g = 1, e = 0.5): Tensor {
  const c = Math.trunc(c2 * e);
  const [a, bb] = nn.chunk(ctx.b, `${name}.chunk`, Conv(ctx, `${name}.cv1`, x, c1, 2 * c, 1, 1), 2, 1) as [Tensor, Tensor];
  let y = a;
  for (let i = 0; i < n; i++) y = Bottleneck(ctx, `${name}.m.${i}`, y, c, c, shortcut, g, [3, 3], 1.0);
  return Conv(ctx, `${name}.cv2`, nn.cat(ctx.b, `${name}.cat`, [y, bb]), 2 * c, c2, 1);
}

type Inner = (ctx: Ctx, name: string, x: Tensor, c: number) => Tensor;

/** C2f's frame: cv1 → chunk(2) → each inner block on the last piece → cat → cv2. */
function c2fFrame(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, n: number, e: number, inner: Inner): Tensor {
  const c = Math.trunc(c2 * e);
  const ys = nn.chunk(ctx.b, `${name}.chunk`, Conv(ctx, `${name}.cv1`, x, c1, 2 * c, 1, 1), 2, 1);
  for (let i = 0; i < n; i++) ys.push(inner(ctx, `${name}.m.${i}`, ys[ys.length - 1]!, c));
  return Conv(ctx, `${name}.cv2`, nn.cat(ctx.b, `${name}.cat`, ys), (2 + n) * c, c2, 1);
}

export function C2f(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, n = 1, shortcut = false, g = 1, e = 0.5): Tensor {
  return c2fFrame(ctx, name, x, c1, c2, n, e, (cx, nm, t, c) => Bottleneck(cx, nm, t, c, c, shortcut, g, [3, 3], 1.0));
}

/** C3's frame: cv3(cat(m(cv1(x)), cv2(x))). */
function c3Frame(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, n: number, e: number, inner: Inner): Tensor {
  const c = Math.trunc(c2 * e);
  let y = Conv(ctx, `${name}.cv1`, x, c1, c, 1, 1);
  const z = Conv(ctx, `${name}.cv2`, x, c1, c, 1, 1);
  for (let i = 0; i < n; i++) y = inner(ctx, `${name}.m.${i}`, y, c);
  return Conv(ctx, `${name}.cv3`, nn.cat(ctx.b, `${name}.cat`, [y, z]), 2 * c, c2, 1);
}

export function C3(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, n = 1, shortcut = true, g = 1, e = 0.5): Tensor {
  return c3Frame(ctx, name, x, c1, c2, n, e, (cx, nm, t, c) => Bottleneck(cx, nm, t, c, c, shortcut, g, [1, 1], 1.0));
}

export function C3k(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, n = 1, shortcut = true, g = 1, e = 0.5, k = 3): Tensor {
  return c3Frame(ctx, name, x, c1, c2, n, e, (cx, nm, t, c) => Bottleneck(cx, nm, t, c, c, shortcut, g, [k, k], 1.0));
}

export function C3k2(
  ctx: Ctx,
  name: string,
  x: Tensor,
  c1: number,
  c2: number,
  n = 1,
  c3k = false,
  e = 0.5,
  g = 1,
  shortcut = true,
): Tensor {
  return c2fFrame(ctx, name, x, c1, c2, n, e, (cx, nm, t, c) =>
    c3k ? C3k(cx, nm, t, c, c, 2, shortcut, g) : Bottleneck(cx, nm, t, c, c, shortcut, g),
  );
}

function GhostBottleneck(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, k = 3, s = 1): Tensor {
  const c = Math.floor(c2 / 2);
  let y = GhostConv(ctx, `${name}.conv.0`, x, c1, c, 1, 1);
  y = s === 2 ? DWConv(ctx, `${name}.conv.1`, y, c, c, k, s, 1, false) : nn.identity(ctx.b, `${name}.conv.1`, y);
  y = GhostConv(ctx, `${name}.conv.2`, y, c, c2, 1, 1, 1, false);
  const sc =
    s === 2
      ? Conv(ctx, `${name}.shortcut.1`, DWConv(ctx, `${name}.shortcut.0`, x, c1, c1, k, s, 1, false), c1, c2, 1, 1, null, 1, 1, false)
      : nn.identity(ctx.b, `${name}.shortcut`, x);
  return nn.add(ctx.b, `${name}.add`, [y, sc]);
}

export function C3Ghost(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, n = 1, _shortcut = true, _g = 1, e = 0.5): Tensor {
  return c3Frame(ctx, name, x, c1, c2, n, e, (cx, nm, t, c) => GhostBottleneck(cx, nm, t, c, c));
}

function RepVGGDW(ctx: Ctx, name: string, x: Tensor, ed: number): Tensor {
  const a = Conv(ctx, `${name}.conv`, x, ed, ed, 7, 1, 3, ed, 1, false);
  const c = Conv(ctx, `${name}.conv1`, x, ed, ed, 3, 1, 1, ed, 1, false);
  const sum = nn.add(ctx.b, `${name}.add`, [a, c]);
  return nn.callElementwise(ctx.b, ctx.b.leaf(`${name}.act`, 'silu', {}, 0), `${name}.act`, sum);
}

function CIB(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, shortcut = true, e = 0.5, lk = false): Tensor {
  const c = Math.trunc(c2 * e);
  let y = Conv(ctx, `${name}.cv1.0`, x, c1, c1, 3, 1, null, c1);
  y = Conv(ctx, `${name}.cv1.1`, y, c1, 2 * c, 1);
  y = lk ? RepVGGDW(ctx, `${name}.cv1.2`, y, 2 * c) : Conv(ctx, `${name}.cv1.2`, y, 2 * c, 2 * c, 3, 1, null, 2 * c);
  y = Conv(ctx, `${name}.cv1.3`, y, 2 * c, c2, 1);
  y = Conv(ctx, `${name}.cv1.4`, y, c2, c2, 3, 1, null, c2);
  return shortcut && c1 === c2 ? nn.add(ctx.b, `${name}.add`, [x, y]) : y;
}

export function C2fCIB(
  ctx: Ctx,
  name: string,
  x: Tensor,
  c1: number,
  c2: number,
  n = 1,
  shortcut = false,
  lk = false,
  g = 1,
  e = 0.5,
): Tensor {
  void g;
  return c2fFrame(ctx, name, x, c1, c2, n, e, (cx, nm, t, c) => CIB(cx, nm, t, c, c, shortcut, 1.0, lk));
}

/** PSA's multi-head self-attention (ultralytics Attention): qkv conv, softmax(qᵀk·scale), v·attnᵀ + pe(v), proj. */
function Attention(ctx: Ctx, name: string, x: Tensor, dim: number, numHeads = 8, attnRatio = 0.5): Tensor {
  if (numHeads < 1) throw new RowError(`${name}: ${dim} channels give num_heads = ${numHeads}; Attention needs at least one head`);
  const b = ctx.b;
  const headDim = Math.floor(dim / numHeads);
  const keyDim = Math.trunc(headDim * attnRatio);
  const h = dim + keyDim * numHeads * 2;
  const [B, C, H, W] = x.shape as [number, number, number, number];
  const N = H * W;
  const qkv = Conv(ctx, `${name}.qkv`, x, dim, h, 1, 1, null, 1, 1, false);
  const view = nn.reshape(b, `${name}.view`, qkv, [B, numHeads, keyDim * 2 + headDim, N]);
  const [q, k, v] = nn.split(b, `${name}.split`, view, [keyDim, keyDim, headDim], 2) as [Tensor, Tensor, Tensor];
  let attn = nn.matmul(b, `${name}.qk`, q, k, { transposeA: true });
  attn = nn.mulScalar(b, `${name}.scale`, attn, keyDim ** -0.5);
  attn = nn.softmax(b, `${name}.softmax`, attn, -1);
  const out = nn.reshape(b, `${name}.out`, nn.matmul(b, `${name}.av`, v, attn, { transposeB: true }), [B, C, H, W]);
  const pe = Conv(ctx, `${name}.pe`, nn.reshape(b, `${name}.v`, v, [B, C, H, W]), dim, dim, 3, 1, null, dim, 1, false);
  return Conv(ctx, `${name}.proj`, nn.add(b, `${name}.add`, [out, pe]), dim, dim, 1, 1, null, 1, 1, false);
}

function PSABlock(ctx: Ctx, name: string, x: Tensor, c: number, attnRatio = 0.5, numHeads = 4, shortcut = true): Tensor {
  const a = Attention(ctx, `${name}.attn`, x, c, numHeads, attnRatio);
  const y = shortcut ? nn.add(ctx.b, `${name}.add1`, [x, a]) : a;
  const f = Conv(ctx, `${name}.ffn.1`, Conv(ctx, `${name}.ffn.0`, y, c, c * 2, 1), c * 2, c, 1, 1, null, 1, 1, false);
  return shortcut ? nn.add(ctx.b, `${name}.add2`, [y, f]) : f;
}

function checkSameChannels(name: string, what: string, c1: number, c2: number): void {
  if (c1 !== c2) throw new RowError(`${name}: ${what} needs as many output channels as input channels, got ${c1} in and ${c2} out`, 0);
}

export function C2PSA(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, n = 1, e = 0.5): Tensor {
  checkSameChannels(name, 'C2PSA', c1, c2);
  const c = Math.trunc(c1 * e);
  const [a, bb] = nn.split(ctx.b, `${name}.split`, Conv(ctx, `${name}.cv1`, x, c1, 2 * c, 1, 1), [c, c], 1) as [Tensor, Tensor];
  let y = bb;
  for (let i = 0; i < n; i++) y = PSABlock(ctx, `${name}.m.${i}`, y, c, 0.5, Math.floor(c / 64));
  return Conv(ctx, `${name}.cv2`, nn.cat(ctx.b, `${name}.cat`, [a, y]), 2 * c, c1, 1);
}

export function PSA(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, e = 0.5): Tensor {
  checkSameChannels(name, 'PSA', c1, c2);
  const c = Math.trunc(c1 * e);
  const [a, bb] = nn.split(ctx.b, `${name}.split`, Conv(ctx, `${name}.cv1`, x, c1, 2 * c, 1, 1), [c, c], 1) as [Tensor, Tensor];
  let y = nn.add(ctx.b, `${name}.add1`, [bb, Attention(ctx, `${name}.attn`, bb, c, Math.floor(c / 64), 0.5)]);
  const f = Conv(ctx, `${name}.ffn.1`, Conv(ctx, `${name}.ffn.0`, y, c, c * 2, 1), c * 2, c, 1, 1, null, 1, 1, false);
  y = nn.add(ctx.b, `${name}.add2`, [y, f]);
  return Conv(ctx, `${name}.cv2`, nn.cat(ctx.b, `${name}.cat`, [a, y]), 2 * c, c1, 1);
}

/** YOLO12's area attention: tokens split into `area` groups along the flattened H·W axis. */
function AAttn(ctx: Ctx, name: string, x: Tensor, dim: number, numHeads: number, area = 1): Tensor {
  const b = ctx.b;
  const headDim = Math.floor(dim / numHeads);
  const all = headDim * numHeads;
  const [B, C, H, W] = x.shape as [number, number, number, number];
  const N = H * W;
  const qkv = Conv(ctx, `${name}.qkv`, x, dim, all * 3, 1, 1, null, 1, 1, false);
  let bb = B;
  let nn_ = N;
  if (area > 1) {
    if (N % area !== 0) throw new RowError(`${name}: ${H}×${W} = ${N} positions do not split into area=${area} equal groups`);
    bb = B * area;
    nn_ = N / area;
  }
  const tokens = nn.reshape(b, `${name}.tokens`, qkv, [bb, numHeads, headDim * 3, nn_]);
  const [q, k, v] = nn.split(b, `${name}.split`, tokens, [headDim, headDim, headDim], 2) as [Tensor, Tensor, Tensor];
  let attn = nn.matmul(b, `${name}.qk`, q, k, { transposeA: true });
  attn = nn.mulScalar(b, `${name}.scale`, attn, headDim ** -0.5);
  attn = nn.softmax(b, `${name}.softmax`, attn, -1);
  const out = nn.reshape(b, `${name}.out`, nn.matmul(b, `${name}.av`, v, attn, { transposeB: true }), [B, C, H, W]);
  const pe = Conv(ctx, `${name}.pe`, nn.reshape(b, `${name}.v`, v, [B, C, H, W]), all, dim, 7, 1, 3, dim, 1, false);
  return Conv(ctx, `${name}.proj`, nn.add(b, `${name}.add`, [out, pe]), all, dim, 1, 1, null, 1, 1, false);
}

function ABlock(ctx: Ctx, name: string, x: Tensor, dim: number, numHeads: number, mlpRatio = 1.2, area = 1): Tensor {
  const y = nn.add(ctx.b, `${name}.add1`, [x, AAttn(ctx, `${name}.attn`, x, dim, numHeads, area)]);
  const hidden = Math.trunc(dim * mlpRatio);
  const f = Conv(ctx, `${name}.mlp.1`, Conv(ctx, `${name}.mlp.0`, y, dim, hidden, 1), hidden, dim, 1, 1, null, 1, 1, false);
  return nn.add(ctx.b, `${name}.add2`, [y, f]);
}

export function A2C2f(
  ctx: Ctx,
  name: string,
  x: Tensor,
  c1: number,
  c2: number,
  n = 1,
  a2 = true,
  area = 1,
  residual = false,
  mlpRatio = 2.0,
  e = 0.5,
  g = 1,
  shortcut = true,
): Tensor {
  const c = Math.trunc(c2 * e);
  if (c % 32 !== 0) throw new RowError(`${name}: A2C2f's hidden channels ${c2}·${e} = ${c} must be a multiple of 32`, 0);
  const ys = [Conv(ctx, `${name}.cv1`, x, c1, c, 1, 1)];
  for (let i = 0; i < n; i++) {
    const last = ys[ys.length - 1]!;
    if (a2) {
      let y = ABlock(ctx, `${name}.m.${i}.0`, last, c, c / 32, mlpRatio, area);
      y = ABlock(ctx, `${name}.m.${i}.1`, y, c, c / 32, mlpRatio, area);
      ys.push(y);
    } else {
      ys.push(C3k(ctx, `${name}.m.${i}`, last, c, c, 2, shortcut, g));
    }
  }
  const y = Conv(ctx, `${name}.cv2`, nn.cat(ctx.b, `${name}.cat`, ys), (1 + n) * c, c2, 1);
  if (a2 && residual) {
    ctx.b.containerParameters += c2; // gamma, a parameter of A2C2f itself
    if (c1 !== c2) throw new RowError(`${name}: A2C2f's residual needs c1 = c2, got ${c1} and ${c2}`);
    const scaled = ctx.b.fn1('mul', `${name}.gamma`, { per_channel_parameter: c2 }, [y], y.shape);
    return nn.add(ctx.b, `${name}.residual`, [x, scaled]);
  }
  return y;
}

export function SPP(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, ks: number[] = [5, 9, 13]): Tensor {
  const c = Math.floor(c1 / 2);
  const y = Conv(ctx, `${name}.cv1`, x, c1, c, 1, 1);
  const pools = ks.map((k, i) => nn.maxpool2d(ctx.b, `${name}.m.${i}`, y, k, 1, Math.floor(k / 2)));
  return Conv(ctx, `${name}.cv2`, nn.cat(ctx.b, `${name}.cat`, [y, ...pools]), c * (ks.length + 1), c2, 1, 1);
}

/** SPPF as the published summaries were made: cv1 still had its activation then. */
export function SPPF(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, k = 5): Tensor {
  const c = Math.floor(c1 / 2);
  const y0 = Conv(ctx, `${name}.cv1`, x, c1, c, 1, 1);
  const pool = ctx.b.leaf(
    `${name}.m`,
    'maxpool2d',
    { kernel_size: [k, k], stride: [1, 1], padding: [Math.floor(k / 2), Math.floor(k / 2)], dilation: [1, 1], ceil_mode: false },
    0,
  );
  const ys = [y0];
  for (let i = 0; i < 3; i++) ys.push(nn.callMaxpool2d(ctx.b, pool, `${name}.m`, ys[i]!));
  return Conv(ctx, `${name}.cv2`, nn.cat(ctx.b, `${name}.cat`, ys), c * 4, c2, 1, 1);
}

export function SPPELAN(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, c3: number, k = 5): Tensor {
  const ys = [Conv(ctx, `${name}.cv1`, x, c1, c3, 1, 1)];
  for (const i of [2, 3, 4]) ys.push(nn.maxpool2d(ctx.b, `${name}.cv${i}`, ys[ys.length - 1]!, k, 1, Math.floor(k / 2)));
  return Conv(ctx, `${name}.cv5`, nn.cat(ctx.b, `${name}.cat`, ys), 4 * c3, c2, 1, 1);
}

export function SCDown(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, k: number, s: number): Tensor {
  return Conv(ctx, `${name}.cv2`, Conv(ctx, `${name}.cv1`, x, c1, c2, 1, 1), c2, c2, k, s, null, c2, 1, false);
}

export function AConv(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number): Tensor {
  const pooled = nn.functionalPool(ctx.b, 'avgpool2d', `${name}.avg_pool2d`, x, 2, 1, 0, { ceil_mode: false, count_include_pad: true });
  return Conv(ctx, `${name}.cv1`, pooled, c1, c2, 3, 2, 1);
}

export function ADown(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number): Tensor {
  const c = Math.floor(c2 / 2);
  const pooled = nn.functionalPool(ctx.b, 'avgpool2d', `${name}.avg_pool2d`, x, 2, 1, 0, { ceil_mode: false, count_include_pad: true });
  const [x1, x2] = nn.chunk(ctx.b, `${name}.chunk`, pooled, 2, 1) as [Tensor, Tensor];
  const y1 = Conv(ctx, `${name}.cv1`, x1, Math.floor(c1 / 2), c, 3, 2, 1);
  const m = nn.functionalPool(ctx.b, 'maxpool2d', `${name}.max_pool2d`, x2, 3, 2, 1);
  const y2 = Conv(ctx, `${name}.cv2`, m, Math.floor(c1 / 2), c, 1, 1, 0);
  return nn.cat(ctx.b, `${name}.cat`, [y1, y2]);
}

function RepCSP(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, n = 1, shortcut = true, g = 1, e = 0.5): Tensor {
  return c3Frame(ctx, name, x, c1, c2, n, e, (cx, nm, t, c) => RepBottleneck(cx, nm, t, c, c, shortcut, g, 1.0));
}

export function RepNCSPELAN4(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, c3: number, c4: number, n = 1): Tensor {
  const [a, bb] = nn.chunk(ctx.b, `${name}.chunk`, Conv(ctx, `${name}.cv1`, x, c1, c3, 1, 1), 2, 1) as [Tensor, Tensor];
  const y2 = Conv(ctx, `${name}.cv2.1`, RepCSP(ctx, `${name}.cv2.0`, bb, Math.floor(c3 / 2), c4, n), c4, c4, 3, 1);
  const y3 = Conv(ctx, `${name}.cv3.1`, RepCSP(ctx, `${name}.cv3.0`, y2, c4, c4, n), c4, c4, 3, 1);
  return Conv(ctx, `${name}.cv4`, nn.cat(ctx.b, `${name}.cat`, [a, bb, y2, y3]), c3 + 2 * c4, c2, 1, 1);
}

export function ELAN1(ctx: Ctx, name: string, x: Tensor, c1: number, c2: number, c3: number, c4: number): Tensor {
  const [a, bb] = nn.chunk(ctx.b, `${name}.chunk`, Conv(ctx, `${name}.cv1`, x, c1, c3, 1, 1), 2, 1) as [Tensor, Tensor];
  const y2 = Conv(ctx, `${name}.cv2`, bb, Math.floor(c3 / 2), c4, 3, 1);
  const y3 = Conv(ctx, `${name}.cv3`, y2, c4, c4, 3, 1);
  return Conv(ctx, `${name}.cv4`, nn.cat(ctx.b, `${name}.cat`, [a, bb, y2, y3]), c3 + 2 * c4, c2, 1, 1);
}

export function CBLinear(
  ctx: Ctx,
  name: string,
  x: Tensor,
  c1: number,
  c2s: number[],
  k = 1,
  s = 1,
  p: number | null = null,
  g = 1,
): Tensor[] {
  const total = c2s.reduce((a, v) => a + v, 0);
  const y = nn.conv2d(ctx.b, `${name}.conv`, x, { cin: c1, cout: total, k, s, p: autopad(k, p), g, bias: true });
  return nn.split(ctx.b, `${name}.split`, y, c2s, 1);
}

export function CBFuse(ctx: Ctx, name: string, xs: (Tensor | Tensor[])[], idx: number[]): Tensor {
  const target = xs[xs.length - 1];
  if (!target || Array.isArray(target)) throw new RowError(`${name}: CBFuse's last input must be a tensor`);
  const size: [number, number] = [target.shape[2]!, target.shape[3]!];
  const parts: Tensor[] = [];
  xs.slice(0, -1).forEach((x, i) => {
    const j = idx[i];
    if (!Array.isArray(x) || j === undefined || !x[j]) {
      throw new RowError(`${name}: input ${i} must be a CBLinear output with a piece at index ${j}`, 0);
    }
    parts.push(nn.interpolateNearest(ctx.b, `${name}.interpolate.${i}`, x[j], size));
  });
  parts.push(target);
  for (const p of parts) {
    if (p.shape[1] !== target.shape[1]) {
      throw new RowError(`${name}: summing ${parts.map((t) => fmtShape(t.shape)).join(' + ')} needs equal channels`);
    }
  }
  return nn.add(ctx.b, `${name}.sum`, parts);
}
