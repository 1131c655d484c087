// Ultralytics' parse_model semantics on our graph: scale multiples, channel arithmetic, module
// arguments, `from` references, and the model summary under Ultralytics' and ConvLens's conventions.

import { ActivationSpec, Ctx } from './blocks';
import { GraphBuilder, LeafModule, OpNode, RowError, Shape, Tensor, numel } from './graph';
import { ARITY, BASE, DETECT, REPEAT, RowValue, TORCH_NN, construct, didYouMean, isInt, parseActivation } from './row-modules';
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
  /** This row's share of Ultralytics' GFLOPs (set with the summary). */
  gflops?: number;
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
  /** ConvLens's convention: multiply-accumulates of conv2d and linear at the image size, without bias (everything else 0). */
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

/** A bound on a row's repeats so a typo (1e9) gives a diagnostic instead of exhausting memory. */
const MAX_REPEATS = 1000;

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
      diagnostics.push({
        message: `scales.${scale} must be [depth, width, max_channels], got ${JSON.stringify(triple)}`,
        range: at('scales'),
        severity: 'error',
      });
    }
  } else {
    scale = undefined;
  }
  if (src.rows.length === 0 && src.problems.length === 0) {
    diagnostics.push({
      message: 'the model has no rows: backbone and head are both empty',
      range: src.keyNameRanges.backbone ?? whole,
      severity: 'error',
    });
  }
  let nc = opts.nc ?? (typeof src.nc === 'number' ? src.nc : NaN);
  if (!Number.isInteger(nc) || nc < 1) {
    diagnostics.push({
      message: `nc must be a positive integer (number of classes), got ${JSON.stringify(src.nc)}`,
      range: at('nc'),
      severity: 'error',
    });
    nc = 80;
  }
  let ch = 3;
  if (src.ch !== undefined) {
    if (typeof src.ch === 'number' && Number.isInteger(src.ch) && src.ch > 0) ch = src.ch;
    else
      diagnostics.push({
        message: `ch must be a positive integer (input channels), got ${JSON.stringify(src.ch)}`,
        range: at('ch'),
        severity: 'error',
      });
  }
  let act: ActivationSpec = { kind: 'silu', attrs: {} };
  if (src.activation !== undefined) {
    const parsed = parseActivation(src.activation);
    if (typeof parsed === 'string') diagnostics.push({ message: parsed, range: at('activation'), severity: 'error' });
    else act = parsed;
  }
  return { scale, depth, width, maxChannels, nc, ch, kptShape: (src.kptShape as PyValue) ?? [17, 3], act, diagnostics };
}

interface BuildResult {
  rows: BuiltRow[];
  builder: GraphBuilder;
  ok: boolean;
  detectStrides: number[];
}

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
  const locals: Record<string, PyValue> = {
    nc: plan.nc,
    kpt_shape: plan.kptShape,
    depth: plan.depth,
    width: plan.width,
    max_channels: plan.maxChannels,
  };

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
      if (n > MAX_REPEATS)
        throw new RowError(`repeats ${row.repeats} × depth ${plan.depth} = ${n} is more than the ${MAX_REPEATS} ConvLens analyses`, -2);
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
        if (!Array.isArray(list) || !list.every(isInt))
          throw new RowError(`CBLinear's first argument is a list of output channels, got ${JSON.stringify(list)}`, 0);
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
      const one = (nm: string, xin: RowValue[]): RowValue =>
        construct(ctx, mod, nm, xin, args, single, num, plan.kptShape, legacy, sources, chOf);
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
        const range = k === undefined ? row.range : k < 0 ? fieldRange(-k - 1) : (row.argRanges[k] ?? fieldRange(3));
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
      const toGflops = (ops: number) => ((ops / 1e9) * 2 * imgsz * imgsz) / (stride * stride);
      small.rows.forEach((r, k) => {
        const row = main.rows[k];
        if (row) row.gflops = toGflops(small.builder.nodes.slice(r.nodes[0], r.nodes[1]).reduce((s, nd) => s + nd.thopOps, 0));
      });
      const parameters = main.builder.leaves.reduce((s, l) => s + l.parameters, 0) + main.builder.containerParameters;
      const frozen = main.builder.leaves.reduce((s, l) => s + l.frozenParameters, 0);
      summary = {
        layers: main.builder.leaves.length,
        parameters,
        gradients: parameters - frozen,
        gflops: toGflops(thop),
        macs: main.builder.nodes.reduce((s, nd) => s + nd.macs, 0),
        flopsStride: stride,
      };
    } else {
      diagnostics.push({
        message: `the model does not run on a ${stride}×${stride} input, so Ultralytics' GFLOPs figure cannot be computed`,
        range: src.rows[0]?.range ?? main.rows[0]!.range,
        severity: 'warning',
      });
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
export { SUPPORTED_MODULES } from './row-modules';
