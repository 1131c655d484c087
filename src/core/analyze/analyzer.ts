// The analyzer: resolves the layer graph, validates parameters, and propagates shapes, params,
// MACs, receptive fields and memory through the registry's layer kinds. A layer whose inputs
// have no shape (because of an earlier error) gets `outputShape: null` and no further diagnostics.

import type { AnalysisOptions, AnalysisResult, AnalyzedLayer, InputSlice, ModelAnalysis, ReceptiveField } from './analysis-types';
import { toDisplayShape } from './display-shape';
import { formatBytes, formatShape } from '../format';
import { getLayerKind } from '../kinds';
import { countParams, type InferContext, type InferResult, type ReceptiveFieldRule, type ReportOptions } from '../kinds/types';
import { validateParams } from './params';
import { ReferenceSuggester } from '../suggest';
import { describeValue, MAX_DIMENSION, MAX_FLAT_DIMENSION } from '../limits';
import type { Diagnostic, Fix, LayerSpec, ModelSpec, Range, Severity, Shape } from '../types';

export { toDisplayShape };

export const INPUT_NAME = 'input';

interface ResolvedInputs {
  names: string[];
  /** Per input, the output taken from a layer with several (`chunk1.1` → 1). */
  parts: (number | undefined)[];
  ok: boolean;
}

export function analyzeModel(spec: ModelSpec, parseDiagnostics: Diagnostic[], options: AnalysisOptions = {}): AnalysisResult {
  const diagnostics = [...parseDiagnostics];
  const bytesPerElement = BigInt(options.bytesPerElement ?? 4);
  let input: Shape | null = spec.input ? [...spec.input.shape] : null;
  const inputProblem = input ? shapeProblem(input, MAX_DIMENSION) : undefined;
  if (spec.input && inputProblem) {
    diagnostics.push({ severity: 'error', code: 'input.too-large', message: `input ${inputProblem}`, range: spec.input.range });
    input = null;
  }
  if (input && options.batchSize !== undefined && options.batchSize > 0) input[0] = options.batchSize;
  const layers: AnalyzedLayer[] = [];
  const byName = new Map<string, AnalyzedLayer>();
  const firstByName = new Map<string, LayerSpec>();
  const specByName = new Map<string, LayerSpec>();
  for (const layer of spec.layers) if (!specByName.has(layer.name)) specByName.set(layer.name, layer);
  // Built once per model: suggestions for unknown `from` names stay linear in the file's size.
  const suggester = new ReferenceSuggester([
    { name: INPUT_NAME, position: -1 },
    ...spec.layers.map((l, position) => ({ name: l.name, position })),
  ]);

  const inputRf: ReceptiveField | null = input && input.length === 4 ? { size: [1, 1], jump: [1, 1], start: [0.5, 0.5] } : null;
  const modelHW: [number, number] | null = input && input.length === 4 ? [input[2]!, input[3]!] : null;

  for (let position = 0; position < spec.layers.length; position++) {
    const layer = spec.layers[position]!;
    const report = (severity: Severity, code: string, message: string, range: Range, extra: ReportOptions = {}) => {
      diagnostics.push({ severity, code, message, range, layer: layer.name, ...extra });
    };
    checkName(layer, firstByName, report);
    const resolved = resolveInputs(layer, position, spec, specByName, suggester, report);
    const def = getLayerKind(layer.kind)!;
    const validation = validateParams(layer, def, diagnostics);
    const inputLayers = resolved.names.map((n) => (n === INPUT_NAME ? undefined : byName.get(n)));
    const inputSlices = takeParts(layer, resolved, inputLayers, report);
    const inputShapes = resolved.names.map((n, i) => (n === INPUT_NAME ? input : partShape(inputLayers[i], inputSlices?.[i])));
    const inputRfs = resolved.names.map((n, i) => (n === INPUT_NAME ? inputRf : (inputLayers[i]?.receptiveField ?? null)));
    const minInputs = def.minInputs ?? 2;
    if (def.inputs === 'many' && resolved.ok && resolved.names.length < minInputs) {
      report(
        'error',
        'graph.too-few-inputs',
        `${layer.name}: ${layer.kind} needs at least ${minInputs} inputs in \`from\`, got ${resolved.names.length}`,
        layer.from?.range ?? layer.kindRange,
      );
      resolved.ok = false;
    }
    if (def.inputs === 'one' && resolved.names.length > 1) {
      report(
        'error',
        'graph.too-many-inputs',
        `${layer.name}: ${layer.kind} takes one input, but \`from\` lists ${resolved.names.length}`,
        layer.from?.range ?? layer.kindRange,
      );
      resolved.ok = false;
    }

    let result: InferResult | undefined;
    const ready = resolved.ok && validation.ok && inputShapes.every((s): s is Shape => s !== null);
    if (ready) {
      const ctx = makeContext(layer, spec, validation.attrs, inputShapes as Shape[], resolved.names, byName, report);
      result = def.infer(ctx);
      const problem = result
        ? shapeProblem(result.outputShape, result.outputShape.length === 4 ? MAX_DIMENSION : MAX_FLAT_DIMENSION)
        : undefined;
      if (problem) {
        report('error', 'shape.too-large', `${layer.name}: output ${problem}`, layer.kindRange);
        result = undefined;
      }
    }
    const outputShape = result?.outputShape ?? null;
    // validation.attrs is this layer's own object: derived values are merged in place.
    const attrs = result?.derived ? Object.assign(validation.attrs, result.derived) : validation.attrs;
    // A kind with parameter tensors is counted from them, the tensors the engine allocates.
    const params =
      result === undefined
        ? 0n
        : def.paramTensors
          ? countParams(def.paramTensors(attrs, inputShapes as Shape[]), spec.framework)
          : (result.params ?? 0n);
    const analyzed: AnalyzedLayer = {
      spec: layer,
      index: layer.index,
      name: layer.name,
      kind: layer.kind,
      inputs: resolved.names,
      inputShapes,
      ...(inputSlices ? { inputSlices } : {}),
      ...(result?.outputParts ? { outputParts: result.outputParts } : {}),
      outputShape,
      params,
      macs: result?.macs ?? 0n,
      attrs,
      geometry: result?.geometry,
      transposed: result?.transposed,
      receptiveField: result ? receptiveField(result.receptiveField, inputRfs, modelHW) : null,
      activationBytes: outputShape ? numel(outputShape) * bytesPerElement : 0n,
      im2col: result?.im2col
        ? { ...result.im2col, bytes: result.im2col.rows * BigInt(result.im2col.cols) * BigInt(result.im2col.groups) * bytesPerElement }
        : undefined,
      facts: result?.facts ?? [],
    };
    if (analyzed.im2col) {
      analyzed.facts.push({
        label: 'im2col',
        value: `${analyzed.im2col.rows} × ${analyzed.im2col.cols}${analyzed.im2col.groups > 1 ? ` per group (${analyzed.im2col.groups} groups)` : ''}, ${formatBytes(analyzed.im2col.bytes)}`,
      });
    }
    layers.push(analyzed);
    if (!byName.has(layer.name)) byName.set(layer.name, analyzed);
  }

  const last = layers[layers.length - 1];
  const model: ModelAnalysis = {
    spec,
    name: spec.name,
    framework: spec.framework,
    layout: spec.framework === 'tfjs' ? 'NHWC' : 'NCHW',
    input,
    layers,
    byName,
    outputShape: last ? last.outputShape : input,
    totalParams: layers.reduce((sum, l) => sum + l.params, 0n),
    totalMacs: layers.reduce((sum, l) => sum + l.macs, 0n),
    totalActivationBytes: layers.reduce((sum, l) => sum + l.activationBytes, 0n),
  };
  if (spec.layers.length === 0 && spec.input) {
    diagnostics.push({ severity: 'warning', code: 'model.no-layers', message: 'The model has no layers', range: spec.input.range });
  }
  return { model, diagnostics };
}

type Reporter = (severity: Severity, code: string, message: string, range: Range, extra?: ReportOptions) => void;

function checkName(layer: LayerSpec, firstByName: Map<string, LayerSpec>, report: Reporter) {
  const range = layer.nameRange ?? layer.kindRange;
  if (layer.name === INPUT_NAME) {
    report('error', 'graph.reserved-name', `'${INPUT_NAME}' is reserved for the model input; rename this layer`, range);
    return;
  }
  const first = firstByName.get(layer.name);
  if (first) {
    report(
      'error',
      'graph.duplicate-name',
      `Layer name '${layer.name}' is already used by layer ${first.index + 1}; \`from\` references would be ambiguous`,
      range,
      {
        related: [{ message: `first '${layer.name}'`, range: first.nameRange ?? first.kindRange }],
      },
    );
    return;
  }
  firstByName.set(layer.name, layer);
}

/** The shape of an input: the layer's output, or the part `from` took of a layer with several. */
function partShape(producer: AnalyzedLayer | undefined, slice: InputSlice | undefined): Shape | null {
  const shape = producer?.outputShape ?? null;
  if (shape === null || slice === undefined) return shape;
  const part = [...shape];
  part[slice.dim] = slice.size;
  return part;
}

/**
 * Checks how `from` reads layers with several outputs: `name.k` takes output k of such a layer;
 * a bare name of one is an error, as is `name.k` of a layer with one output or past its last.
 * Marks the layer's inputs not ok on an error. Returns the slices when some input takes a part.
 */
function takeParts(
  layer: LayerSpec,
  resolved: ResolvedInputs,
  producers: (AnalyzedLayer | undefined)[],
  report: Reporter,
): (InputSlice | undefined)[] | undefined {
  let slices: (InputSlice | undefined)[] | undefined;
  resolved.names.forEach((name, i) => {
    const producer = producers[i];
    const part = resolved.parts[i];
    const range = layer.from?.refs[i]?.range ?? layer.kindRange;
    /** `name.k` of a layer with one output. */
    const notMultiOutput = (kind: string) => {
      report(
        'error',
        'graph.not-multi-output',
        `${layer.name}: '${name}' (${kind}) has one output; write \`${name}\`, not \`${name}.${part}\``,
        range,
      );
      resolved.ok = false;
    };
    if (producer === undefined || producer.outputShape === null) {
      if (part !== undefined && producer !== undefined && producer.kind !== 'unresolved' && !getLayerKind(producer.kind)?.multipleOutputs)
        notMultiOutput(producer.kind);
      return;
    }
    const parts = producer.outputParts;
    if (parts === undefined) {
      if (part !== undefined) notMultiOutput(producer.kind);
      return;
    }
    const count = parts.sizes.length;
    const choices = count === 1 ? `\`${name}.0\`` : `\`${name}.0\` … \`${name}.${count - 1}\``;
    if (part === undefined || part >= count) {
      const what =
        part === undefined
          ? `'${name}' has ${count} outputs (${producer.kind}); take one in \`from\``
          : `'${name}' has ${count} output${count === 1 ? '' : 's'}, so there is no \`${name}.${part}\``;
      report('error', 'graph.output-index', `${layer.name}: ${what}: ${choices}`, range);
      resolved.ok = false;
      return;
    }
    slices ??= resolved.names.map(() => undefined);
    const start = parts.sizes.slice(0, part).reduce((a, b) => a + b, 0);
    slices[i] = { part, dim: parts.dim, start, size: parts.sizes[part]! };
  });
  return slices;
}

function resolveInputs(
  layer: LayerSpec,
  position: number,
  spec: ModelSpec,
  specByName: Map<string, LayerSpec>,
  suggester: ReferenceSuggester,
  report: Reporter,
): ResolvedInputs {
  if (!layer.from) {
    const previous = spec.layers[position - 1];
    return { names: [previous ? previous.name : INPUT_NAME], parts: [undefined], ok: true };
  }
  const names: string[] = [];
  const parts: (number | undefined)[] = [];
  let ok = layer.from.refs.length > 0;
  if (!ok) report('error', 'graph.too-few-inputs', `${layer.name}: \`from\` is empty`, layer.from.range);
  for (const ref of layer.from.refs) {
    if (ref.name === INPUT_NAME) {
      names.push(INPUT_NAME);
      parts.push(undefined);
      continue;
    }
    // `name.k`: output k of a layer with several (unless a layer is named so itself).
    const dotted = specByName.has(ref.name) ? null : /^(.+)\.(\d+)$/.exec(ref.name);
    const base = dotted && specByName.has(dotted[1]!) ? dotted[1]! : ref.name;
    const part = base === ref.name ? undefined : Number(dotted![2]);
    const target = specByName.get(base);
    if (!target) {
      const suggestion = suggester.closest(ref.name, position);
      report(
        'error',
        'graph.unknown-ref',
        `${layer.name}: no layer named '${ref.name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
        ref.range,
        {
          fixes: suggestion
            ? [{ title: `Change to '${suggestion}'`, preferred: true, edits: [{ range: ref.range, newText: suggestion }] }]
            : undefined,
        },
      );
      ok = false;
      continue;
    }
    if (target.index >= layer.index) {
      const what =
        target.index === layer.index
          ? 'itself (a cycle)'
          : `'${ref.name}', which comes later (layer ${target.index + 1}); layers may only use earlier layers, so this is a forward reference or a cycle`;
      report(
        'error',
        target.index === layer.index ? 'graph.cycle' : 'graph.forward-ref',
        `${layer.name}: \`from\` refers to ${what}`,
        ref.range,
        {
          related: [{ message: `'${ref.name}' is defined here`, range: target.nameRange ?? target.kindRange }],
        },
      );
      ok = false;
      continue;
    }
    names.push(base);
    parts.push(part);
  }
  return { names, parts, ok };
}

function makeContext(
  layer: LayerSpec,
  spec: ModelSpec,
  attrs: Record<string, unknown>,
  inputShapes: Shape[],
  inputNames: string[],
  byName: Map<string, AnalyzedLayer>,
  report: Reporter,
): InferContext {
  const rangeOf = (param: string) => layer.params.get(param)?.valueRange ?? layer.kindRange;
  return {
    layer,
    framework: spec.framework,
    attrs,
    inputShapes,
    inputNames,
    rangeOf,
    has: (param) => layer.params.has(param),
    inputOrigin: (i) => {
      const name = inputNames[i];
      if (name === INPUT_NAME) return spec.input?.range;
      const origin = name === undefined ? undefined : byName.get(name);
      return origin ? (origin.spec.nameRange ?? origin.spec.kindRange) : undefined;
    },
    error: (code, message, range, options) => report('error', code, message, range, options),
    warning: (code, message, range, options) => report('warning', code, message, range, options),
    info: (code, message, range, options) => report('info', code, message, range, options),
    setParamFix: (title, param, valueText, preferred) => setParamFix(layer, title, param, valueText, preferred),
  };
}

/** A fix that replaces a parameter's value, or inserts `param: value` into the layer's mapping. */
export function setParamFix(layer: LayerSpec, title: string, param: string, valueText: string, preferred = false): Fix | undefined {
  const existing = layer.params.get(param);
  if (existing) return { title, preferred, edits: [{ range: existing.valueRange, newText: valueText }] };
  const at = layer.insertion;
  if (!at) return undefined;
  const entry = `${param}: ${valueText}`;
  const newText = at.style === 'flow-empty' ? entry : at.style === 'flow' ? `, ${entry}` : `\n${at.indent ?? ''}${entry}`;
  return { title, preferred, edits: [{ range: { start: at.position, end: at.position }, newText }] };
}

/**
 * Why a shape cannot be computed with exactly, quoting the dimension and the allowed range:
 * 4-D tensors have dimensions up to 2^31 − 1, flattened ones up to 2^53 − 1 (see ./limits.ts).
 */
function shapeProblem(shape: Shape, limit: number): string | undefined {
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (!Number.isSafeInteger(d) || d > limit) {
      return `dimension ${i} is ${describeValue(d)}, over the ${limit === MAX_DIMENSION ? `${MAX_DIMENSION} (2^31 − 1) a 4-D tensor's dimension may reach` : `${MAX_FLAT_DIMENSION} (2^53 − 1) a dimension may reach`}`;
    }
  }
  return undefined;
}

function numel(shape: Shape): bigint {
  return shape.reduce((product, d) => product * BigInt(d), 1n);
}

/** Propagates the receptive field (size, jump, start) per axis. */
function receptiveField(
  rule: ReceptiveFieldRule | undefined,
  inputs: (ReceptiveField | null)[],
  modelHW: [number, number] | null,
): ReceptiveField | null {
  if (!rule || inputs.some((r) => r === null)) return rule?.type === 'global' && modelHW ? globalField(modelHW) : null;
  const fields = inputs as ReceptiveField[];
  switch (rule.type) {
    case 'untracked':
      return null;
    case 'global':
      return modelHW ? globalField(modelHW) : null;
    case 'preserve':
      return fields.length === 1 ? fields[0]! : union(fields);
    case 'window': {
      const rf = fields[0]!;
      const axes = [rule.geometry.h, rule.geometry.w] as const;
      const size = axes.map((a, i) => rf.size[i]! + (a.effectiveKernel - 1) * rf.jump[i]!) as [number, number];
      const jump = axes.map((a, i) => rf.jump[i]! * a.stride) as [number, number];
      const start = axes.map((a, i) => rf.start[i]! + ((a.effectiveKernel - 1) / 2 - a.padBefore) * rf.jump[i]!) as [number, number];
      return { size, jump, start };
    }
  }
}

function globalField([h, w]: [number, number]): ReceptiveField {
  return { size: [h, w], jump: [h, w], start: [h / 2, w / 2] };
}

/** The smallest window containing every input's window (for add and concat). */
function union(fields: ReceptiveField[]): ReceptiveField | null {
  const first = fields[0]!;
  if (fields.some((f) => f.jump[0] !== first.jump[0] || f.jump[1] !== first.jump[1])) return null;
  const axis = (i: 0 | 1) => {
    const lo = fields.reduce((m, f) => Math.min(m, f.start[i] - f.size[i] / 2), Infinity);
    const hi = fields.reduce((m, f) => Math.max(m, f.start[i] + f.size[i] / 2), -Infinity);
    return { size: hi - lo, start: (lo + hi) / 2 };
  };
  const h = axis(0);
  const w = axis(1);
  return { size: [h.size, w.size], jump: [...first.jump], start: [h.start, w.start] };
}

/**
 * Whether the totals count every layer. A layer without an output shape (one ConvLens can't
 * understand, or one reading such a layer or an error) adds nothing to them, so with `unknown` > 0
 * the totals are lower bounds.
 */
export function totalsStatus(model: Pick<ModelAnalysis, 'layers'>): { complete: boolean; unknown: number; layers: number } {
  const unknown = model.layers.filter((l) => l.outputShape === null).length;
  return { complete: unknown === 0, unknown, layers: model.layers.length };
}

/** "(3 of 431 layers unknown)" when the totals are partial, '' otherwise. */
export function partialTotalsNote(model: Pick<ModelAnalysis, 'layers'>): string {
  const status = totalsStatus(model);
  return status.complete ? '' : `(${status.unknown} of ${status.layers} layer${status.layers === 1 ? '' : 's'} unknown)`;
}

export function describeShape(model: Pick<ModelAnalysis, 'layout'>, shape: Shape | null): string {
  return formatShape(toDisplayShape(model, shape));
}
