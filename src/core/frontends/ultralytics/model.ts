// Ultralytics' parse_model semantics on our graph: scale multiples, channel arithmetic, module
// arguments, `from` references, and the model summary under Ultralytics' and ConvLens's conventions.

import * as blocks from './blocks';
import { ActivationSpec, Ctx } from './blocks';
import { GraphBuilder, LeafModule, OpNode, RowError, Shape, Tensor, fmtShape, numel } from './graph';
import { classifyHead, detectHead } from './heads';
import * as nn from './nn';
import { ModelSource, PyValue, SourceRange, readModelSource, scaleFromFileName } from './yaml-rows';

export interface Diagnostic {
  message: string;
  range: SourceRange;
  severity: 'error' | 'warning' | 'info';
  row?: number;
}

export interface BuiltRow {
  index: number;
  section: 'backbone' | 'head';
  from: number | number[];
  /** Repeats as written and after the depth multiple. */
  repeats: number;
  scaledRepeats: number;
  module: string;
  /** The constructor's arguments after parse_model (channels in, channels out, repeats inserted...). */
  args: PyValue[];
  outputShapes: Shape[];
  parameters: number;
  leaves: [number, number];
  nodes: [number, number];
  macs: number;
  range: SourceRange;
}

export interface UltralyticsSummary {
  /** Ultralytics' convention: distinct leaf modules of the unfused model. */
  layers: number;
  parameters: number;
  /** Parameters minus the frozen DFL projection. */
  gradients: number;
  /** Ultralytics' GFLOPs: THOP on a stride×stride input scaled to the image size, ×2. */
  gflops: number;
  /** ConvLens's convention: multiply-accumulates of conv/linear/matmul at the image size (BatchNorm, activations 0). */
  macs: number;
  /** The input side THOP ran on (max detect stride, at least 32). */
  flopsStride: number;
}

export interface UltralyticsModel {
  scale: string | undefined;
  /** Every scale the file's `scales` defines, in file order. */
  scales: string[];
  /** [depth, width, max_channels] in effect. */
  multiples: { depth: number; width: number; maxChannels: number };
  nc: number;
  inputShape: Shape;
  rows: BuiltRow[];
  leaves: LeafModule[];
  nodes: OpNode[];
  summary: UltralyticsSummary | undefined;
  diagnostics: Diagnostic[];
}

export interface BuildOptions {
  scale?: string;
  imgsz?: number;
  /** Overrides the YAML's nc, as `DetectionModel(cfg, nc=...)` does. */
  nc?: number;
}

const TORCH_NN = new Set(['Upsample', 'MaxPool2d', 'ZeroPad2d', 'ConvTranspose2d', 'Identity']);

/** [min, max] YAML argument counts of each supported module (before parse_model inserts c1 and repeats). */
const ARITY: Record<string, [number, number]> = {
  Conv: [1, 7], DWConv: [1, 5], GhostConv: [1, 5], Concat: [0, 1],
  'nn.Upsample': [0, 4], 'nn.MaxPool2d': [1, 6], 'nn.ZeroPad2d': [1, 1], 'nn.ConvTranspose2d': [1, 8], 'nn.Identity': [0, 0],
  Bottleneck: [1, 5], C2: [1, 4], C2f: [1, 4], C3: [1, 4], C3k2: [1, 5], C3Ghost: [1, 4], C2fCIB: [1, 5], C2PSA: [1, 2], PSA: [1, 2],
  A2C2f: [1, 9], SPP: [1, 2], SPPF: [1, 2], SPPELAN: [2, 3], SCDown: [3, 3], AConv: [1, 1], ADown: [1, 1], ELAN1: [3, 3],
  RepNCSPELAN4: [3, 4], CBLinear: [1, 5], CBFuse: [1, 1], Detect: [1, 1], v10Detect: [1, 1], Segment: [1, 3], Pose: [1, 2], OBB: [1, 2],
  Classify: [1, 5],
};
export const SUPPORTED_MODULES = Object.keys(ARITY);

const BASE = new Set(['Classify', 'Conv', 'GhostConv', 'Bottleneck', 'SPP', 'SPPF', 'C2PSA', 'DWConv', 'C2', 'C2f', 'C3k2', 'RepNCSPELAN4', 'ELAN1', 'ADown', 'AConv', 'SPPELAN', 'C3', 'C3Ghost', 'nn.ConvTranspose2d', 'PSA', 'SCDown', 'C2fCIB', 'A2C2f']);
const REPEAT = new Set(['C2', 'C2f', 'C3k2', 'C3', 'C3Ghost', 'C2fCIB', 'C2PSA', 'A2C2f']);
const DETECT = new Set(['Detect', 'v10Detect', 'Segment', 'Pose', 'OBB']);

/** Python's round(): halves go to the even neighbour. */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export function makeDivisible(x: number, divisor = 8): number {
  return Math.ceil(x / divisor) * divisor;
}

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

function didYouMean(name: string): string {
  let best = '';
  let bestD = Infinity;
  for (const m of SUPPORTED_MODULES) {
    const dist = levenshtein(name, m);
    if (dist < bestD) [best, bestD] = [m, dist];
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? `; did you mean \`${best}\`?` : '';
}

/** What parse_model does to a string argument: a local name (nc, kpt_shape...) or ast.literal_eval. */
function resolveArg(a: unknown, locals: Record<string, PyValue>): PyValue {
  if (Array.isArray(a)) return a.map((v) => resolveArg(v, {}));
  if (typeof a === 'string') {
    if (a in locals) return locals[a] as PyValue;
    if (a === 'None') return null;
    if (a === 'True') return true;
    if (a === 'False') return false;
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(a.trim())) return Number(a);
    return a;
  }
  if (typeof a === 'number' || typeof a === 'boolean' || a === null) return a;
  return String(a);
}

function parseActivation(text: unknown): ActivationSpec | string {
  if (typeof text !== 'string') return `activation must be a string such as "nn.ReLU()", got ${JSON.stringify(text)}`;
  const m = /^\s*(?:torch\.)?nn\.(\w+)\((.*)\)\s*$/.exec(text);
  const kinds: Record<string, string> = { SiLU: 'silu', ReLU: 'relu', ReLU6: 'relu6', LeakyReLU: 'leaky_relu', Hardswish: 'hardswish', Mish: 'mish', GELU: 'gelu', Sigmoid: 'sigmoid', Tanh: 'tanh', Identity: 'identity', ELU: 'elu' };
  const kind = m ? kinds[m[1]!] : undefined;
  if (!m || !kind) return `activation "${text}" is not one of ${Object.keys(kinds).map((k) => `nn.${k}()`).join(', ')}`;
  const attrs: Record<string, number> = {};
  const arg = m[2]!.split(',')[0]!.trim().replace(/^negative_slope\s*=\s*/, '');
  if (kind === 'leaky_relu') attrs.negative_slope = arg === '' ? 0.01 : Number(arg);
  return { kind, attrs };
}

interface Plan {
  scale: string | undefined;
  depth: number;
  width: number;
  maxChannels: number;
  nc: number;
  ch: number;
  kptShape: PyValue;
  act: ActivationSpec;
  diagnostics: Diagnostic[];
}

function planModel(src: ModelSource, fileName: string, opts: BuildOptions): Plan {
  const diagnostics: Diagnostic[] = src.problems.map((p) => ({ ...p, severity: 'error' as const }));
  const whole = src.rows[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 }, startOffset: 0, endOffset: 0 };
  const at = (key: string) => src.keyRanges[key] ?? whole;
  let depth = typeof src.depthMultiple === 'number' ? src.depthMultiple : 1;
  let width = typeof src.widthMultiple === 'number' ? src.widthMultiple : 1;
  let maxChannels = Infinity;
  let scale = opts.scale ?? scaleFromFileName(fileName).scale;
  if (src.scales) {
    const keys = Object.keys(src.scales);
    if (!scale || !(scale in src.scales)) {
      const first = keys[0];
      const msg = scale
        ? `scale '${scale}' is not in scales (${keys.join(', ')}); Ultralytics would fail, assuming scale='${first}'`
        : `no model scale passed (name the file like yolov8n.yaml for scale 'n'); assuming scale='${first}' as Ultralytics does`;
      diagnostics.push({ message: msg, range: src.keyNameRanges.scales ?? at('scales'), severity: 'warning' });
      scale = first;
    }
    const triple = scale === undefined ? undefined : src.scales[scale];
    if (Array.isArray(triple) && triple.length === 3 && triple.every((v) => typeof v === 'number')) {
      [depth, width, maxChannels] = triple as [number, number, number];
    } else {
      diagnostics.push({ message: `scales.${scale} must be [depth, width, max_channels], got ${JSON.stringify(triple)}`, range: at('scales'), severity: 'error' });
    }
  } else {
    scale = undefined;
  }
  let nc = opts.nc ?? (typeof src.nc === 'number' ? src.nc : NaN);
  if (!Number.isInteger(nc) || nc < 1) {
    diagnostics.push({ message: `nc must be a positive integer (number of classes), got ${JSON.stringify(src.nc)}`, range: at('nc'), severity: 'error' });
    nc = 80;
  }
  let ch = 3;
  if (src.ch !== undefined) {
    if (typeof src.ch === 'number' && Number.isInteger(src.ch) && src.ch > 0) ch = src.ch;
    else diagnostics.push({ message: `ch must be a positive integer (input channels), got ${JSON.stringify(src.ch)}`, range: at('ch'), severity: 'error' });
  }
  let act: ActivationSpec = { kind: 'silu', attrs: {} };
  if (src.activation !== undefined) {
    const parsed = parseActivation(src.activation);
    if (typeof parsed === 'string') diagnostics.push({ message: parsed, range: at('activation'), severity: 'error' });
    else act = parsed;
  }
  return { scale, depth, width, maxChannels, nc, ch, kptShape: (src.kptShape as PyValue) ?? [17, 3], act, diagnostics };
}

type RowValue = Tensor | Tensor[];

interface BuildResult {
  rows: BuiltRow[];
  builder: GraphBuilder;
  ok: boolean;
  detectStrides: number[];
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** One pass of parse_model + the training-mode forward at an input size. */
function buildAt(src: ModelSource, plan: Plan, imgsz: number, diagnostics: Diagnostic[] | undefined): BuildResult {
  const b = new GraphBuilder();
  const ctx: Ctx = { b, defaultAct: plan.act };
  const report = (d: Diagnostic) => diagnostics?.push(d);
  const input = b.input([1, plan.ch, imgsz, imgsz]);
  const outputs: (RowValue | undefined)[] = [];
  let chs: (number | number[])[] = [plan.ch];
  let legacy = true;
  let ok = true;
  const rows: BuiltRow[] = [];
  const detectStrides: number[] = [];
  const locals: Record<string, PyValue> = { nc: plan.nc, kpt_shape: plan.kptShape, depth: plan.depth, width: plan.width, max_channels: plan.maxChannels };

  for (const row of src.rows) {
    const i = row.index;
    b.row = i;
    const leafStart = b.leaves.length;
    const nodeStart = b.nodes.length;
    const paramsBefore = b.containerParameters;
    const fieldRange = (k: number) => row.fieldRanges[k] ?? row.range;
    const fail = (message: string, range: SourceRange) => {
      ok = false;
      report({ message: `row ${i}: ${message}`, range, severity: 'error', row: i });
    };
    let output: RowValue | undefined;
    let c2: number | number[] | undefined;
    let args: PyValue[] = [];
    let n = 0;
    const f = row.from as number | number[];
    try {
      // ---- from ----
      const refs = Array.isArray(row.from) ? row.from : [row.from];
      if (refs.length === 0 || !refs.every(isInt)) {
        throw new RowError(`from must be an int or a list of ints (row indices, -1 = previous), got ${JSON.stringify(row.from)}`, -1);
      }
      const resolve = (j: number): number => {
        const abs = j < 0 ? i + j : j;
        if (j === -1 && i === 0) return -1; // the model input
        if (abs < 0 || abs >= i) {
          throw new RowError(
            abs >= i
              ? `from ${j} points at row ${abs}, which is not built yet (rows can only read earlier rows; this is row ${i})`
              : `from ${j} is out of range: only ${i} rows come before row ${i}`,
            -1,
          );
        }
        return abs;
      };
      const sources = refs.map(resolve);
      const chOf = (j: number): number | number[] => (j === -1 ? plan.ch : chs[j]!);
      const inputOf = (j: number): RowValue | undefined => (j === -1 ? input : outputs[j]);
      // ---- repeats ----
      if (!isInt(row.repeats) || row.repeats < 1) {
        throw new RowError(`repeats must be a positive int, got ${JSON.stringify(row.repeats)}`, -2);
      }
      n = row.repeats > 1 ? Math.max(pyRound(row.repeats * plan.depth), 1) : row.repeats;
      // ---- module ----
      const mod = row.module;
      if (typeof mod !== 'string') throw new RowError(`module must be a name such as Conv, got ${JSON.stringify(mod)}`, -3);
      const known = mod in ARITY && (!mod.startsWith('nn.') || TORCH_NN.has(mod.slice(3)));
      if (!known) throw new RowError(`unknown module "${mod}"${didYouMean(mod)}`, -3);
      // ---- args ----
      if (!Array.isArray(row.args)) throw new RowError(`args must be a list, got ${JSON.stringify(row.args)}`, -4);
      const [lo, hi] = ARITY[mod]!;
      if (row.args.length < lo || row.args.length > hi) {
        throw new RowError(
          `${mod} takes ${lo === hi ? lo : `${lo} to ${hi}`} argument${hi === 1 ? '' : 's'} here, got ${row.args.length}: ${JSON.stringify(row.args)}`,
          -4,
        );
      }
      args = row.args.map((a) => resolveArg(a, locals));
      const inputs = sources.map(inputOf);
      if (inputs.some((t) => t === undefined)) {
        ok = false;
        throw null; // an earlier row failed; it has its diagnostic already
      }
      const single = (): Tensor => {
        if (sources.length !== 1) throw new RowError(`${mod} reads one row, from has ${sources.length}`, -1);
        const t = inputs[0]!;
        if (Array.isArray(t)) throw new RowError(`${mod} needs a tensor, row ${sources[0]} gives a list of ${t.length}`, -1);
        return t;
      };
      const num = (k: number, what: string): number => {
        const v = args[k];
        if (typeof v !== 'number') throw new RowError(`${mod} argument ${k} (${what}) must be a number, got ${JSON.stringify(v)}`, k);
        return v;
      };
      const name = `model.${i}`;

      if (BASE.has(mod)) {
        const c1 = chOf(sources[0]!);
        if (typeof c1 !== 'number') throw new RowError(`${mod} needs a tensor input, row ${sources[0]} gives a list`, -1);
        let out = num(0, 'output channels');
        if (out !== plan.nc) out = makeDivisible(Math.min(out, plan.maxChannels) * plan.width, 8);
        c2 = out;
        args = [c1, out, ...args.slice(1)];
        if (REPEAT.has(mod)) {
          args.splice(2, 0, n);
          n = 1;
        }
        if (mod === 'C3k2') {
          legacy = false;
          if (plan.scale !== undefined && 'mlx'.includes(plan.scale)) args[3] = true;
        }
        if (mod === 'A2C2f') {
          legacy = false;
          if (plan.scale !== undefined && 'lx'.includes(plan.scale)) args.push(true, 1.2);
        }
        if (mod === 'C2fCIB') legacy = false;
      } else if (mod === 'Concat') {
        c2 = sources.reduce((s, j) => s + (chOf(j) as number), 0);
      } else if (DETECT.has(mod)) {
        args.push(sources.map((j) => chOf(j) as number[] | number) as PyValue);
        if (mod === 'Segment') args[2] = makeDivisible(Math.min(num(2, 'proto channels'), plan.maxChannels) * plan.width, 8);
      } else if (mod === 'CBLinear') {
        const list = args[0];
        if (!Array.isArray(list) || !list.every(isInt)) throw new RowError(`CBLinear's first argument is a list of output channels, got ${JSON.stringify(list)}`, 0);
        c2 = list as number[];
        args = [chOf(sources[0]!) as number, list, ...args.slice(1)];
      } else if (mod === 'CBFuse') {
        c2 = chOf(sources[sources.length - 1]!);
      } else {
        c2 = chOf(sources[0]!);
      }

      if ((DETECT.has(mod) || mod === 'Classify') && typeof row.args[0] === 'number' && row.args[0] !== plan.nc) {
        // PyTorch builds it, but the head then predicts a different number of classes than `nc` says.
        report({
          message: `row ${i}: ${mod} is built for ${row.args[0]} classes but nc is ${plan.nc}; write nc here to follow the file's nc`,
          range: row.argRanges[0] ?? fieldRange(3),
          severity: 'warning',
          row: i,
        });
      }
      // ---- build n copies (a Sequential when n > 1) ----
      const one = (nm: string, xin: RowValue[]): RowValue => construct(ctx, mod, nm, xin, args, single, num, plan, legacy, sources, chOf);
      let value: RowValue = inputs as RowValue[] as unknown as RowValue;
      if (n > 1) {
        let t: RowValue = one(`${name}.0`, inputs as RowValue[]);
        for (let k = 1; k < n; k++) t = one(`${name}.${k}`, [t]);
        value = t;
      } else {
        value = one(name, inputs as RowValue[]);
      }
      output = value;
      if (DETECT.has(mod) && Array.isArray(value)) {
        for (const j of sources) {
          const t = inputOf(j);
          if (t && !Array.isArray(t)) detectStrides.push(imgsz / t.shape[2]!);
        }
      }
    } catch (e) {
      if (e instanceof RowError) {
        const k = e.argIndex;
        const range = k === undefined ? row.range : k < 0 ? fieldRange(-k - 1) : row.argRanges[k] ?? fieldRange(3);
        fail(e.message, range);
      } else if (e !== null) {
        throw e;
      }
      output = undefined;
    }
    outputs.push(output);
    if (i === 0) chs = [];
    chs.push(c2 ?? NaN);
    const shapes = output === undefined ? [] : Array.isArray(output) ? output.map((t) => t.shape) : [output.shape];
    let params = b.containerParameters - paramsBefore;
    let macs = 0;
    for (let k = leafStart; k < b.leaves.length; k++) params += b.leaves[k]!.parameters;
    for (let k = nodeStart; k < b.nodes.length; k++) macs += b.nodes[k]!.macs;
    rows.push({
      index: i,
      section: row.section,
      from: f,
      repeats: isInt(row.repeats) ? row.repeats : NaN,
      scaledRepeats: n,
      module: String(row.module),
      args,
      outputShapes: shapes,
      parameters: params,
      leaves: [leafStart, b.leaves.length],
      nodes: [nodeStart, b.nodes.length],
      macs,
      range: row.range,
    });
  }
  return { rows, builder: b, ok, detectStrides };
}

function construct(
  ctx: Ctx,
  mod: string,
  name: string,
  inputs: RowValue[],
  args: PyValue[],
  single: () => Tensor,
  num: (k: number, what: string) => number,
  plan: Plan,
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
    case 'Bottleneck':
      const k = args[4];
      if (k !== undefined && !(Array.isArray(k) && k.length === 2 && k.every(isInt))) throw new RowError(`Bottleneck kernel sizes must be [k1, k2], got ${JSON.stringify(k)}`, 3);
      return blocks.Bottleneck(ctx, name, x(), A(0), A(1), optB(2), opt(3), k as [number, number] | undefined, opt(5));
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
      if (ks !== undefined && !(Array.isArray(ks) && ks.every(isInt))) throw new RowError(`SPP kernel sizes must be a list of ints, got ${JSON.stringify(ks)}`, 1);
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
      return nn.convTranspose2d(ctx.b, name, x(), { cin: A(0), cout: A(1), k: num(2, 'kernel_size'), s: opt(3) ?? 1, p: opt(4) ?? 0, bias: args[7] === undefined ? true : Boolean(args[7]) });
    case 'CBLinear':
      return blocks.CBLinear(ctx, name, x(), A(0), args[1] as number[], opt(2), opt(3), optP(4) ?? null, opt(5));
    case 'CBFuse': {
      const idx = args[0];
      if (!Array.isArray(idx) || !idx.every(isInt)) throw new RowError(`CBFuse's argument is a list of piece indices, got ${JSON.stringify(idx)}`, 0);
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
        if (t.shape.length !== first.shape.length || t.shape.some((v, d) => d !== (dim < 0 ? first.shape.length + dim : dim) && v !== first.shape[d])) {
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
      if (size !== null && size !== undefined) throw new RowError(`nn.Upsample with a fixed size ${JSON.stringify(size)} is not supported; use [None, scale, mode]`, 0);
      const scale = num(1, 'scale_factor');
      const mode = args[2] === undefined ? 'nearest' : String(args[2]);
      return nn.upsampleNearest(ctx.b, name, x(), scale, mode);
    }
    case 'nn.MaxPool2d': {
      const k = num(0, 'kernel_size');
      const s = args[1] === undefined || args[1] === null ? k : num(1, 'stride');
      return nn.maxpool2d(ctx.b, name, x(), k, s, opt(2) ?? 0);
    }
    case 'nn.ZeroPad2d': {
      const p = args[0];
      const pad: [number, number, number, number] = isInt(p) ? [p, p, p, p] : Array.isArray(p) && p.length === 4 && p.every(isInt) ? (p as [number, number, number, number]) : (() => { throw new RowError(`nn.ZeroPad2d padding must be an int or [left, right, top, bottom], got ${JSON.stringify(p)}`, 0); })();
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
            ? { kind: 'pose' as const, kptShape: kpt(args[1], plan) }
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

function kpt(v: PyValue | undefined, plan: Plan): [number, number] {
  const s = v ?? plan.kptShape;
  if (Array.isArray(s) && s.length === 2 && s.every(isInt)) return s as [number, number];
  throw new RowError(`kpt_shape must be [keypoints, dims], got ${JSON.stringify(s)}`, 1);
}

function actArg(v: PyValue): blocks.ActArg {
  if (typeof v === 'boolean') return v;
  const parsed = parseActivation(v);
  if (typeof parsed === 'string') throw new RowError(parsed);
  return parsed;
}

/** Builds an Ultralytics model YAML at a scale: its rows, leaf modules, data flow and summary. */
export function buildUltralyticsModel(text: string, fileName: string, opts: BuildOptions = {}): UltralyticsModel {
  const src = readModelSource(text);
  const plan = planModel(src, fileName, opts);
  const imgsz = opts.imgsz ?? 640;
  const diagnostics = plan.diagnostics;
  const main = buildAt(src, plan, imgsz, diagnostics);
  let summary: UltralyticsSummary | undefined;
  // Ultralytics' strides come from a forward on a 256×256 input; get_flops profiles a stride×stride one.
  const probe = imgsz === 256 ? main : buildAt(src, plan, 256, undefined);
  const maxStride = probe.detectStrides.length ? Math.max(...probe.detectStrides) : 0;
  const stride = Math.max(Math.trunc(maxStride), 32);
  if (maxStride > 0 && imgsz % maxStride !== 0) {
    diagnostics.push({
      message: `image size ${imgsz} is not a multiple of the model's largest stride ${maxStride}: ${imgsz} / ${maxStride} = ${+(imgsz / maxStride).toFixed(3)}; Ultralytics rounds it up to ${Math.ceil(imgsz / maxStride) * maxStride}`,
      range: src.keyNameRanges.head ?? src.rows[src.rows.length - 1]?.range ?? main.rows[0]!.range,
      severity: 'warning',
    });
  }
  if (main.ok && diagnostics.every((d) => d.severity !== 'error')) {
    const small = buildAt(src, plan, stride, undefined);
    if (small.ok) {
      const thop = small.builder.nodes.reduce((s, nd) => s + nd.thopOps, 0);
      const parameters = main.builder.leaves.reduce((s, l) => s + l.parameters, 0) + main.builder.containerParameters;
      const frozen = main.builder.leaves.reduce((s, l) => s + l.frozenParameters, 0);
      summary = {
        layers: main.builder.leaves.length,
        parameters,
        gradients: parameters - frozen,
        gflops: ((thop / 1e9) * 2 * imgsz * imgsz) / (stride * stride),
        macs: main.builder.nodes.reduce((s, nd) => s + nd.macs, 0),
        flopsStride: stride,
      };
    } else {
      diagnostics.push({ message: `the model does not run on a ${stride}×${stride} input, so Ultralytics' GFLOPs figure cannot be computed`, range: src.rows[0]?.range ?? main.rows[0]!.range, severity: 'warning' });
    }
  }
  return {
    scale: plan.scale,
    scales: src.scales ? Object.keys(src.scales) : [],
    multiples: { depth: plan.depth, width: plan.width, maxChannels: plan.maxChannels },
    nc: plan.nc,
    inputShape: [1, plan.ch, imgsz, imgsz],
    rows: main.rows,
    leaves: main.builder.leaves,
    nodes: main.builder.nodes,
    summary,
    diagnostics,
  };
}

export { numel };
