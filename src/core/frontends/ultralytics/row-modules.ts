// The module table of the Ultralytics front end: which module names a row may use, how many
// arguments each takes, which of parse_model's channel rules applies to it, and how a row's
// resolved arguments become a call of the module's builder.

import * as blocks from './blocks';
import { ActivationSpec, Ctx } from './blocks';
import { RowError, Tensor, fmtShape } from './graph';
import { classifyHead, detectHead } from './heads';
import * as nn from './nn';
import { PyValue } from './yaml-rows';

/** A row's output: one tensor, or a list (CBLinear's pieces, a head's levels). */
export type RowValue = Tensor | Tensor[];

export const TORCH_NN = new Set(['Upsample', 'MaxPool2d', 'ZeroPad2d', 'ConvTranspose2d', 'Identity']);

/** [min, max] YAML argument counts of each supported module (before parse_model inserts c1 and repeats). */
export const ARITY: Record<string, [number, number]> = {
  Conv: [1, 7],
  DWConv: [1, 5],
  GhostConv: [1, 5],
  Concat: [0, 1],
  'nn.Upsample': [0, 4],
  'nn.MaxPool2d': [1, 6],
  'nn.ZeroPad2d': [1, 1],
  'nn.ConvTranspose2d': [1, 8],
  'nn.Identity': [0, 0],
  Bottleneck: [1, 5],
  C2: [1, 4],
  C2f: [1, 4],
  C3: [1, 4],
  C3k2: [1, 5],
  C3Ghost: [1, 4],
  C2fCIB: [1, 5],
  C2PSA: [1, 2],
  PSA: [1, 2],
  A2C2f: [1, 9],
  SPP: [1, 2],
  SPPF: [1, 2],
  SPPELAN: [2, 3],
  SCDown: [3, 3],
  AConv: [1, 1],
  ADown: [1, 1],
  ELAN1: [3, 3],
  RepNCSPELAN4: [3, 4],
  CBLinear: [1, 5],
  CBFuse: [1, 1],
  Detect: [1, 1],
  v10Detect: [1, 1],
  Segment: [1, 3],
  Pose: [1, 2],
  OBB: [1, 2],
  Classify: [1, 5],
};
export const SUPPORTED_MODULES = Object.keys(ARITY);

export const BASE = new Set([
  'Classify',
  'Conv',
  'GhostConv',
  'Bottleneck',
  'SPP',
  'SPPF',
  'C2PSA',
  'DWConv',
  'C2',
  'C2f',
  'C3k2',
  'RepNCSPELAN4',
  'ELAN1',
  'ADown',
  'AConv',
  'SPPELAN',
  'C3',
  'C3Ghost',
  'nn.ConvTranspose2d',
  'PSA',
  'SCDown',
  'C2fCIB',
  'A2C2f',
]);
export const REPEAT = new Set(['C2', 'C2f', 'C3k2', 'C3', 'C3Ghost', 'C2fCIB', 'C2PSA', 'A2C2f']);
export const DETECT = new Set(['Detect', 'v10Detect', 'Segment', 'Pose', 'OBB']);

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

export function didYouMean(name: string): string {
  let best = '';
  let bestD = Infinity;
  for (const m of SUPPORTED_MODULES) {
    const dist = levenshtein(name, m);
    if (dist < bestD) [best, bestD] = [m, dist];
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? `; did you mean \`${best}\`?` : '';
}

export function parseActivation(text: unknown): ActivationSpec | string {
  if (typeof text !== 'string') return `activation must be a string such as "nn.ReLU()", got ${JSON.stringify(text)}`;
  const m = /^\s*(?:torch\.)?nn\.(\w+)\((.*)\)\s*$/.exec(text);
  const kinds: Record<string, string> = {
    SiLU: 'silu',
    ReLU: 'relu',
    ReLU6: 'relu6',
    LeakyReLU: 'leaky_relu',
    Hardswish: 'hardswish',
    Mish: 'mish',
    GELU: 'gelu',
    Sigmoid: 'sigmoid',
    Tanh: 'tanh',
    Identity: 'identity',
    ELU: 'elu',
  };
  const kind = m ? kinds[m[1]!] : undefined;
  if (!m || !kind)
    return `activation "${text}" is not one of ${Object.keys(kinds)
      .map((k) => `nn.${k}()`)
      .join(', ')}`;
  const attrs: Record<string, number> = {};
  const arg = m[2]!
    .split(',')[0]!
    .trim()
    .replace(/^negative_slope\s*=\s*/, '');
  if (kind === 'leaky_relu') attrs.negative_slope = arg === '' ? 0.01 : Number(arg);
  return { kind, attrs };
}

export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** One pass of parse_model + the training-mode forward at an input size. */
export function construct(
  ctx: Ctx,
  mod: string,
  name: string,
  inputs: RowValue[],
  args: PyValue[],
  single: () => Tensor,
  num: (k: number, what: string) => number,
  kptShape: PyValue,
  legacy: boolean,
  sources: number[],
  chOf: (j: number) => number | number[],
): RowValue {
  const x = (): Tensor => {
    const t = inputs[0];
    if (inputs.length !== 1 || !t || Array.isArray(t)) return single();
    return t;
  };
  const opt = (k: number): number | undefined => (args[k] === undefined ? undefined : num(k, 'argument'));
  const optP = (k: number): number | null | undefined => (args[k] === null ? null : opt(k));
  const optB = (k: number): boolean | undefined => (args[k] === undefined ? undefined : Boolean(args[k]));
  const A = (k: number) => args[k] as number;
  switch (mod) {
    case 'Conv': {
      const act = args[7] === undefined ? true : actArg(args[7]);
      return blocks.Conv(ctx, name, x(), A(0), A(1), opt(2), opt(3), optP(4) ?? null, opt(5), opt(6), act);
    }
    case 'DWConv':
      return blocks.DWConv(ctx, name, x(), A(0), A(1), opt(2), opt(3), opt(4), args[5] === undefined ? true : actArg(args[5]));
    case 'GhostConv':
      return blocks.GhostConv(ctx, name, x(), A(0), A(1), opt(2), opt(3), opt(4), args[5] === undefined ? true : actArg(args[5]));
    case 'Bottleneck': {
      const k = args[4];
      if (k !== undefined && !(Array.isArray(k) && k.length === 2 && k.every(isInt)))
        throw new RowError(`Bottleneck kernel sizes must be [k1, k2], got ${JSON.stringify(k)}`, 3);
      return blocks.Bottleneck(ctx, name, x(), A(0), A(1), optB(2), opt(3), k as [number, number] | undefined, opt(5));
    }
    case 'C2':
      return blocks.C2(ctx, name, x(), A(0), A(1), A(2), optB(3), opt(4), opt(5));
    case 'C2f':
      return blocks.C2f(ctx, name, x(), A(0), A(1), A(2), optB(3), opt(4), opt(5));
    case 'C3':
      return blocks.C3(ctx, name, x(), A(0), A(1), A(2), optB(3), opt(4), opt(5));
    case 'C3k2':
      return blocks.C3k2(ctx, name, x(), A(0), A(1), A(2), optB(3), opt(4), opt(5), optB(6));
    case 'C3Ghost':
      return blocks.C3Ghost(ctx, name, x(), A(0), A(1), A(2), optB(3), opt(4), opt(5));
    case 'C2fCIB':
      return blocks.C2fCIB(ctx, name, x(), A(0), A(1), A(2), optB(3), optB(4), opt(5), opt(6));
    case 'C2PSA':
      return blocks.C2PSA(ctx, name, x(), A(0), A(1), A(2), opt(3));
    case 'PSA':
      return blocks.PSA(ctx, name, x(), A(0), A(1), opt(2));
    case 'A2C2f':
      return blocks.A2C2f(ctx, name, x(), A(0), A(1), A(2), optB(3), opt(4), optB(5), opt(6), opt(7), opt(8), optB(9));
    case 'SPP': {
      const ks = args[2];
      if (ks !== undefined && !(Array.isArray(ks) && ks.every(isInt)))
        throw new RowError(`SPP kernel sizes must be a list of ints, got ${JSON.stringify(ks)}`, 1);
      return blocks.SPP(ctx, name, x(), A(0), A(1), ks as number[] | undefined);
    }
    case 'SPPF':
      return blocks.SPPF(ctx, name, x(), A(0), A(1), opt(2));
    case 'SPPELAN':
      return blocks.SPPELAN(ctx, name, x(), A(0), A(1), num(2, 'hidden channels'), opt(3));
    case 'SCDown':
      return blocks.SCDown(ctx, name, x(), A(0), A(1), num(2, 'kernel'), num(3, 'stride'));
    case 'AConv':
      return blocks.AConv(ctx, name, x(), A(0), A(1));
    case 'ADown':
      return blocks.ADown(ctx, name, x(), A(0), A(1));
    case 'ELAN1':
      return blocks.ELAN1(ctx, name, x(), A(0), A(1), num(2, 'c3'), num(3, 'c4'));
    case 'RepNCSPELAN4':
      return blocks.RepNCSPELAN4(ctx, name, x(), A(0), A(1), num(2, 'c3'), num(3, 'c4'), opt(4));
    case 'nn.ConvTranspose2d':
      // args are [c1, c2, kernel_size, stride, padding, output_padding, groups, bias, dilation]
      for (const [k, what, dflt] of [
        [5, 'output_padding', 0],
        [6, 'groups', 1],
        [8, 'dilation', 1],
      ] as const) {
        if (args[k] !== undefined && args[k] !== dflt)
          throw new RowError(`nn.ConvTranspose2d ${what}=${JSON.stringify(args[k])} is not supported here yet (only ${dflt})`, k - 1);
      }
      return nn.convTranspose2d(ctx.b, name, x(), {
        cin: A(0),
        cout: A(1),
        k: num(2, 'kernel_size'),
        s: opt(3) ?? 1,
        p: opt(4) ?? 0,
        bias: args[7] === undefined ? true : Boolean(args[7]),
      });
    case 'CBLinear':
      return blocks.CBLinear(ctx, name, x(), A(0), args[1] as number[], opt(2), opt(3), optP(4) ?? null, opt(5));
    case 'CBFuse': {
      const idx = args[0];
      if (!Array.isArray(idx) || !idx.every(isInt))
        throw new RowError(`CBFuse's argument is a list of piece indices, got ${JSON.stringify(idx)}`, 0);
      return blocks.CBFuse(ctx, name, inputs, idx as number[]);
    }
    case 'Concat': {
      const dim = opt(0) ?? 1;
      const ts = inputs.map((t, k) => {
        if (Array.isArray(t)) throw new RowError(`Concat input from row ${sources[k]} is a list of ${t.length} tensors`, -1);
        return t;
      });
      const first = ts[0]!;
      ts.forEach((t, k) => {
        if (
          t.shape.length !== first.shape.length ||
          t.shape.some((v, d) => d !== (dim < 0 ? first.shape.length + dim : dim) && v !== first.shape[d])
        ) {
          const label = (j: number) => (sources[j] === -1 ? 'the input' : `row ${sources[j]}`);
          throw new RowError(
            `Concat: ${label(0)} gives ${fmtShape(first.shape)} but ${label(k)} gives ${fmtShape(t.shape)}; ` +
              `torch.cat along dim ${dim} needs every other size equal (${first.shape[2]}×${first.shape[3]} vs ${t.shape[2]}×${t.shape[3]}` +
              `${first.shape[2] !== t.shape[2] && first.shape[2]! > 0 && t.shape[2]! > 0 ? ` — is an nn.Upsample or a stride-2 row missing?` : ''})`,
            -1,
          );
        }
      });
      return nn.cat(ctx.b, name, ts, dim, true);
    }
    case 'nn.Upsample': {
      const size = args[0];
      if (size !== null && size !== undefined)
        throw new RowError(`nn.Upsample with a fixed size ${JSON.stringify(size)} is not supported; use [None, scale, mode]`, 0);
      const scale = num(1, 'scale_factor');
      const mode = args[2] === undefined ? 'nearest' : String(args[2]);
      return nn.upsampleNearest(ctx.b, name, x(), scale, mode);
    }
    case 'nn.MaxPool2d': {
      const k = num(0, 'kernel_size');
      const s = args[1] === undefined || args[1] === null ? k : num(1, 'stride');
      // args are [kernel_size, stride, padding, dilation, return_indices, ceil_mode]
      for (const [j, what, dflt] of [
        [3, 'dilation', 1],
        [4, 'return_indices', false],
        [5, 'ceil_mode', false],
      ] as const) {
        if (args[j] !== undefined && args[j] !== dflt)
          throw new RowError(`nn.MaxPool2d ${what}=${JSON.stringify(args[j])} is not supported here yet (only ${dflt})`, j);
      }
      return nn.maxpool2d(ctx.b, name, x(), k, s, opt(2) ?? 0);
    }
    case 'nn.ZeroPad2d': {
      const p = args[0];
      const pad: [number, number, number, number] = isInt(p)
        ? [p, p, p, p]
        : Array.isArray(p) && p.length === 4 && p.every(isInt)
          ? (p as [number, number, number, number])
          : (() => {
              throw new RowError(`nn.ZeroPad2d padding must be an int or [left, right, top, bottom], got ${JSON.stringify(p)}`, 0);
            })();
      return nn.zeroPad2d(ctx.b, name, x(), pad);
    }
    case 'nn.Identity':
      return nn.identity(ctx.b, name, x());
    case 'Classify': {
      const ts = inputs as Tensor[];
      return classifyHead(ctx, name, ts, A(0), A(1), opt(2), opt(3), optP(4) ?? null, opt(5));
    }
    case 'Detect':
    case 'v10Detect':
    case 'Segment':
    case 'Pose':
    case 'OBB': {
      const nc = num(0, 'nc');
      const ts = inputs.map((t, k) => {
        if (Array.isArray(t)) throw new RowError(`${mod} input from row ${sources[k]} is a list`, -1);
        return t;
      });
      const ch = sources.map((j) => chOf(j) as number);
      const variant =
        mod === 'Segment'
          ? { kind: 'segment' as const, nm: opt(1) ?? 32, npr: opt(2) ?? 256 }
          : mod === 'Pose'
            ? { kind: 'pose' as const, kptShape: kpt(args[1], kptShape) }
            : mod === 'OBB'
              ? { kind: 'obb' as const, ne: opt(1) ?? 1 }
              : mod === 'v10Detect'
                ? { kind: 'v10detect' as const }
                : { kind: 'detect' as const };
      return detectHead(ctx, name, ts, nc, ch, legacy, variant);
    }
    default:
      throw new RowError(`unknown module "${mod}"`, -3);
  }
}

function kpt(v: PyValue | undefined, kptShape: PyValue): [number, number] {
  const s = v ?? kptShape;
  if (Array.isArray(s) && s.length === 2 && s.every(isInt)) return s as [number, number];
  throw new RowError(`kpt_shape must be [keypoints, dims], got ${JSON.stringify(s)}`, 1);
}

function actArg(v: PyValue): blocks.ActArg {
  if (typeof v === 'boolean') return v;
  const parsed = parseActivation(v);
  if (typeof parsed === 'string') throw new RowError(parsed);
  return parsed;
}
