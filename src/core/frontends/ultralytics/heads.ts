// Ultralytics' heads (ultralytics/nn/modules/head.py) in training mode, which is the mode the model
// is in when Ultralytics prints its summary: Detect returns each level's cat(box, cls) without the DFL
// decode, so the DFL conv is a registered, frozen leaf that THOP never sees run.

import { Conv, Ctx, DWConv } from './blocks';
import { RowError, Tensor } from './graph';
import * as nn from './nn';

const REG_MAX = 16;

export type DetectVariant =
  | { kind: 'detect' }
  | { kind: 'v10detect' }
  | { kind: 'segment'; nm: number; npr: number }
  | { kind: 'pose'; kptShape: [number, number] }
  | { kind: 'obb'; ne: number };

function branch(ctx: Ctx, name: string, x: Tensor, cin: number, mid: number, cout: number): Tensor {
  const y = Conv(ctx, `${name}.1`, Conv(ctx, `${name}.0`, x, cin, mid, 3), mid, mid, 3);
  return nn.conv2d(ctx.b, `${name}.2`, y, { cin: mid, cout, k: 1 });
}

function clsBranch(ctx: Ctx, name: string, x: Tensor, cin: number, c3: number, nc: number, style: 'legacy' | 'dw' | 'v10'): Tensor {
  if (style === 'legacy') return branch(ctx, name, x, cin, c3, nc);
  const dw = (nm: string, t: Tensor, c: number) => (style === 'dw' ? DWConv(ctx, nm, t, c, c, 3) : Conv(ctx, nm, t, c, c, 3, 1, null, c));
  let y = Conv(ctx, `${name}.0.1`, dw(`${name}.0.0`, x, cin), cin, c3, 1);
  y = Conv(ctx, `${name}.1.1`, dw(`${name}.1.0`, y, c3), c3, c3, 1);
  return nn.conv2d(ctx.b, `${name}.2`, y, { cin: c3, cout: nc, k: 1 });
}

/** Detect and its subclasses. `legacy` is parse_model's flag: true until a C3k2/A2C2f/C2fCIB row appears. */
export function detectHead(
  ctx: Ctx,
  name: string,
  xs: Tensor[],
  nc: number,
  ch: number[],
  legacy: boolean,
  variant: DetectVariant,
): Tensor[] {
  if (xs.length === 0) throw new RowError(`${name}: a detect head needs at least one input level`);
  if (!Number.isInteger(nc) || nc < 1) throw new RowError(`${name}: nc = ${nc} must be a positive integer`, 0);
  const b = ctx.b;
  const c0 = ch[0]!;
  const c2 = Math.max(16, Math.floor(c0 / 4), REG_MAX * 4);
  const c3 = Math.max(c0, Math.min(nc, 100));
  const style = variant.kind === 'v10detect' ? 'v10' : legacy ? 'legacy' : 'dw';
  const outs: Tensor[] = [];
  const extra: Tensor[] = [];

  if (variant.kind === 'segment') {
    const p = `${name}.proto`;
    let y = Conv(ctx, `${p}.cv1`, xs[0]!, c0, variant.npr, 3);
    y = nn.convTranspose2d(b, `${p}.upsample`, y, { cin: variant.npr, cout: variant.npr, k: 2, s: 2, p: 0, bias: true });
    y = Conv(ctx, `${p}.cv2`, y, variant.npr, variant.npr, 3);
    extra.push(Conv(ctx, `${p}.cv3`, y, variant.npr, variant.nm));
  }
  if (variant.kind === 'segment' || variant.kind === 'pose' || variant.kind === 'obb') {
    const no = variant.kind === 'segment' ? variant.nm : variant.kind === 'pose' ? variant.kptShape[0] * variant.kptShape[1] : variant.ne;
    const c4 = Math.max(Math.floor(c0 / 4), no);
    const flat = xs.map((x, i) => {
      const y = branch(ctx, `${name}.cv4.${i}`, x, ch[i]!, c4, no);
      return nn.reshape(b, `${name}.cv4.${i}.view`, y, [y.shape[0]!, no, y.shape[2]! * y.shape[3]!]);
    });
    extra.unshift(nn.cat(b, `${name}.cv4.cat`, flat, 2));
  }

  const levels = (prefix: string) =>
    xs.map((x, i) => {
      const box = branch(ctx, `${name}.${prefix}cv2.${i}`, x, ch[i]!, c2, 4 * REG_MAX);
      const cls = clsBranch(ctx, `${name}.${prefix}cv3.${i}`, x, ch[i]!, c3, nc, style);
      return nn.cat(b, `${name}.${prefix}cat.${i}`, [box, cls]);
    });
  if (variant.kind === 'v10detect') outs.push(...levels('one2one_'));
  outs.push(...levels(''));
  // The DFL projection: a frozen 1×1 conv (16 → 1) that only the inference decode runs.
  nn.conv2dLeaf(b, `${name}.dfl.conv`, { cin: REG_MAX, cout: 1, k: 1, bias: false, frozen: true });
  return [...outs, ...extra];
}

export function classifyHead(
  ctx: Ctx,
  name: string,
  xs: Tensor[],
  c1: number,
  c2: number,
  k = 1,
  s = 1,
  p: number | null = null,
  g = 1,
): Tensor {
  const x = xs.length === 1 ? xs[0]! : nn.cat(ctx.b, `${name}.cat`, xs);
  const c = 1280;
  let y = Conv(ctx, `${name}.conv`, x, c1, c, k, s, p, g);
  y = nn.adaptiveAvgpool2d1(ctx.b, `${name}.pool`, y);
  y = nn.flatten(ctx.b, `${name}.flatten`, y, 1);
  y = nn.dropout(ctx.b, `${name}.drop`, y, 0);
  return nn.linear(ctx.b, `${name}.linear`, y, c, c2);
}
