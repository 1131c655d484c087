// Parses a `*.cnn.yaml` model file into the frontend-independent ModelSpec, keeping the source
// range of every layer, key and value. Syntax errors become diagnostics at their position and the
// rest of the document is still read where the parser could recover it.

import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { DATASET_PRESETS, datasetInputShape } from '../datasets';
import { getLayerKind } from '../kinds';
import { describeValue, MAX_LAYERS, modelTextTooLong } from '../limits';
import { missingKindDiagnostic, multipleKindsDiagnostic, unknownLayerKeyDiagnostic } from './layer-diagnostics';
import { closestMatch } from '../suggest';
import type { Diagnostic, InputSpec, LayerRef, LayerSpec, ModelSpec, ParamEntry, ParseResult, Position, Range } from '../types';

const MODEL_KEYS = ['name', 'input', 'layers'];

class SourceMap {
  readonly lines = new LineCounter();
  constructor(readonly text: string) {}

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const { line, col } = this.lines.linePos(clamped);
    return { line: line - 1, character: col - 1 };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** The range of a node's value (without trailing comments or newlines). */
  node(node: Node | null | undefined, fallback: Range): Range {
    const r = node?.range;
    return r ? this.range(r[0], r[1]) : fallback;
  }
}

function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/**
 * A node's value as plain data. Integers are read as bigint (so 9007199254740993 is not rounded
 * to …992) and come back as numbers when they are safe integers, else as the exact bigint, for
 * the validation to quote. An alias gives undefined (aliasDiagnostics reports it), so no alias
 * is ever expanded; merge keys are left out likewise.
 */
function plain(value: unknown, depth = 0): unknown {
  if (depth > VALUE_DEPTH_LIMIT) return undefined;
  if (isScalar(value)) return exactNumber(value.value);
  if (isSeq(value)) return value.items.map((item) => plain(item, depth + 1));
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const pair of value.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key !== undefined && key !== MERGE_KEY)
        Object.defineProperty(out, key, { value: plain(pair.value, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return isNode(value) ? undefined : exactNumber(value);
}

/** Deeper values are not read (the parser itself stops far beyond real model files). */
const VALUE_DEPTH_LIMIT = 200;

/**
 * The offset of the first `[` or `{` that opens a flow collection deeper than VALUE_DEPTH_LIMIT,
 * or undefined. Quoted scalars and comments are skipped; an unbalanced closer only lowers the count.
 */
function flowDepthOverflow(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      // A quoted scalar: up to its closing quote ('' escapes a single quote, \ a double).
      for (i++; i < text.length; i++) {
        if (c === '"' && text[i] === '\\') i++;
        else if (text[i] === c) {
          if (c === "'" && text[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > VALUE_DEPTH_LIMIT) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function exactNumber(value: unknown): unknown {
  if (typeof value === 'bigint')
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  return value;
}

const MERGE_KEY = '<<';

/**
 * YAML aliases (`*k`) and merge keys (`<<:`) are not read: a value is analyzed where it is
 * written, so a diagnostic's range is the value's own, and an alias bomb is never expanded.
 * Each one becomes an error that says so and, for an alias of a scalar, quotes the value to write.
 */
function aliasDiagnostics(doc: Document, src: SourceMap): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(doc, {
    Alias(_key, alias) {
      if (found.length >= 100) return visit.BREAK;
      const target = alias.resolve(doc);
      const value = isScalar(target) ? describeValue(exactNumber(target.value)) : undefined;
      found.push({
        severity: 'error',
        code: 'yaml.alias',
        message: `YAML alias *${alias.source}: ConvLens reads every value where it is written and does not follow aliases${value !== undefined ? `; write ${value} here` : target ? '; write the value here' : ` (and no anchor &${alias.source} comes before it)`}`,
        range: src.node(alias, src.range(0, 0)),
      });
      return undefined;
    },
    Pair(_key, pair) {
      if (found.length >= 100) return visit.BREAK;
      if (isScalar(pair.key) && pair.key.value === MERGE_KEY) {
        found.push({
          severity: 'error',
          code: 'yaml.merge-key',
          message:
            'YAML merge key `<<`: ConvLens reads every key where it is written and does not merge mappings; write the keys in this mapping',
          range: src.node(pair.key, src.range(0, 0)),
        });
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Text that is not UTF-8 YAML at all: NUL characters mean a UTF-16 (or UTF-32) file read as
 * UTF-8. Returns the hint, or undefined.
 */
function encodingProblem(text: string): string | undefined {
  const nul = text.indexOf('\u0000');
  if (nul < 0) return undefined;
  return 'The file contains NUL characters: it looks like UTF-16 or UTF-32 text read as UTF-8. Save it as UTF-8 (ConvLens reads UTF-8 model files)';
}

export function parseYamlModel(original: string): ParseResult {
  const tooLong = modelTextTooLong(original.length);
  if (tooLong)
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'model.too-large',
          message: tooLong.message,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        },
      ],
    };
  // A lone CR is a line break in YAML 1.2 (and in editors), but the parser only splits lines at
  // LF: replacing it keeps every offset, so ranges still point at the user's text.
  const text = original.replace(/\r(?!\n)/g, '\n');
  const src = new SourceMap(text);
  const encoding = encodingProblem(text);
  if (encoding)
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'model.encoding',
          message: encoding,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        },
      ],
    };
  // The YAML parser recurses once per nested flow collection: thousands of `[` would overflow the
  // stack at a depth that depends on the caller, so deep nesting is refused first, the same way
  // every time.
  const deep = flowDepthOverflow(text);
  if (deep !== undefined)
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'yaml.too-deep',
          message: `YAML: brackets and braces nest more than ${VALUE_DEPTH_LIMIT} levels deep here; no model nests values that deep`,
          range: src.range(deep, deep + 1),
        },
      ],
    };
  const doc = parseDocument(text, { lineCounter: src.lines, prettyErrors: false, keepSourceTokens: false, intAsBigInt: true });
  const diagnostics: Diagnostic[] = [];
  const whole = src.range(0, text.length);
  for (const error of doc.errors) {
    diagnostics.push({
      severity: 'error',
      code: 'yaml.syntax',
      message: `YAML: ${error.message.split('\n')[0]}`,
      range: src.range(error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)),
    });
  }
  for (const warning of doc.warnings) {
    diagnostics.push({
      severity: 'warning',
      code: 'yaml.warning',
      message: `YAML: ${warning.message.split('\n')[0]}`,
      range: src.range(warning.pos[0], warning.pos[1]),
    });
  }
  diagnostics.push(...aliasDiagnostics(doc, src));
  const root = doc.contents;
  if (!isMap(root)) {
    if (root !== null || doc.errors.length === 0) {
      diagnostics.push({
        severity: 'error',
        code: 'model.not-a-mapping',
        message: 'A model file is a mapping with `input:` and `layers:` (and optionally `name:`)',
        range: src.node(root as Node | null, src.range(0, Math.min(text.length, text.indexOf('\n') >>> 0))),
      });
    }
    return { diagnostics };
  }
  const model: ModelSpec = { framework: 'pytorch', layers: [], range: whole };
  let layersNode: Node | null = null;
  let sawLayers = false;
  let sawInput = false;
  for (const pair of root.items) {
    const key = keyText(pair);
    const keyRange = src.node(pair.key as Node, whole);
    const value = pair.value as Node | null;
    if (key === 'name') {
      model.name = String(plain(value) ?? '');
    } else if (key === 'input') {
      sawInput = true;
      model.input = parseInput(src, value, keyRange, diagnostics);
    } else if (key === 'layers') {
      sawLayers = true;
      layersNode = value;
    } else if (key !== MERGE_KEY) {
      const suggestion = key === undefined ? undefined : closestMatch(key, MODEL_KEYS);
      diagnostics.push({
        severity: 'warning',
        code: 'model.unknown-key',
        message: `Unknown top-level key '${key ?? '?'}'${suggestion ? `; did you mean '${suggestion}'?` : ' (expected name, input, layers)'}`,
        range: keyRange,
        fixes: suggestion
          ? [{ title: `Change to '${suggestion}'`, preferred: true, edits: [{ range: keyRange, newText: suggestion }] }]
          : undefined,
      });
    }
  }
  const firstLine = src.range(0, Math.max(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')));
  if (!sawInput) {
    diagnostics.push({
      severity: 'error',
      code: 'model.missing-input',
      message: 'The model has no `input:` shape, e.g. `input: [1, 3, 224, 224]`',
      range: firstLine,
    });
  }
  if (!sawLayers) {
    diagnostics.push({ severity: 'error', code: 'model.missing-layers', message: 'The model has no `layers:` list', range: firstLine });
  } else if (!isSeq(layersNode)) {
    diagnostics.push({
      severity: 'error',
      code: 'model.layers-not-a-list',
      message: '`layers:` must be a list of layers (`- conv2d: {...}`)',
      range: src.node(layersNode, firstLine),
    });
  } else if (layersNode.items.length > MAX_LAYERS) {
    diagnostics.push({
      severity: 'error',
      code: 'model.too-many-layers',
      message: `The model has ${layersNode.items.length} layers; ConvLens analyzes models of up to ${MAX_LAYERS} layers`,
      range: src.node(layersNode, firstLine),
    });
    return { diagnostics };
  } else {
    layersNode.items.forEach((item, index) => {
      const layer = parseLayer(src, item as Node, index, diagnostics);
      if (layer) model.layers.push(layer);
    });
  }
  return { model, diagnostics };
}

function parseInput(src: SourceMap, node: Node | null, keyRange: Range, diagnostics: Diagnostic[]): InputSpec | undefined {
  const range = src.node(node, keyRange);
  if (isSeq(node)) {
    const values = node.items.map(plain);
    const ok = values.every((v) => typeof v === 'number' && Number.isInteger(v) && v > 0);
    if (!ok || values.length < 2 || values.length > 4) {
      diagnostics.push({
        severity: 'error',
        code: 'input.invalid',
        message: `input must be [N, C, H, W] or [C, H, W] of positive integers, got ${describeValue(values)}`,
        range,
      });
      return undefined;
    }
    const shape = values as number[];
    return { shape: shape.length === 3 ? [1, ...shape] : shape, range };
  }
  if (isMap(node)) {
    const spec = plain(node) as Record<string, unknown>;
    const dataset = spec.dataset;
    const known = Object.keys(DATASET_PRESETS);
    if (typeof dataset !== 'string' || !(dataset in DATASET_PRESETS)) {
      const suggestion = typeof dataset === 'string' ? closestMatch(dataset, known) : undefined;
      diagnostics.push({
        severity: 'error',
        code: 'input.unknown-dataset',
        message: `Unknown dataset ${describeValue(dataset)}${suggestion ? `; did you mean '${suggestion}'?` : ''} (presets: ${known.join(', ')})`,
        range: src.node(node.get('dataset', true) as Node | undefined, range),
      });
      return undefined;
    }
    let size: [number, number] | undefined;
    if (spec.size !== undefined) {
      const s = spec.size;
      if (!Array.isArray(s) || s.length !== 2 || !s.every((v) => typeof v === 'number' && Number.isInteger(v) && v > 0)) {
        diagnostics.push({
          severity: 'error',
          code: 'input.invalid',
          message: `size must be [H, W] of positive integers, got ${describeValue(s)}`,
          range: src.node(node.get('size', true) as Node, range),
        });
        return undefined;
      }
      size = [s[0] as number, s[1] as number];
    }
    const shape = datasetInputShape(dataset, size);
    if (!shape) {
      diagnostics.push({
        severity: 'error',
        code: 'input.size-required',
        message: `The ${dataset} preset has no fixed image size; add size: [H, W]`,
        range,
      });
      return undefined;
    }
    return { shape, range, dataset };
  }
  diagnostics.push({
    severity: 'error',
    code: 'input.invalid',
    message: 'input must be a shape like [1, 3, 224, 224] or {dataset: coco}',
    range,
  });
  return undefined;
}

function parseLayer(src: SourceMap, item: Node | null, index: number, diagnostics: Diagnostic[]): LayerSpec | undefined {
  const fallback = src.range(0, 0);
  const range = src.node(item, fallback);
  if (!isMap(item)) {
    diagnostics.push({
      severity: 'error',
      code: 'layer.not-a-mapping',
      message: `Layer ${index + 1} must be a mapping like \`- conv2d: {out_channels: 16, kernel_size: 3}\``,
      range,
    });
    return placeholderLayer(index, `layer_${index + 1}`, undefined, range, range, undefined);
  }
  let name: { value: string; range: Range } | undefined;
  let from: LayerSpec['from'];
  const kindPairs: { key: string; pair: Pair; keyRange: Range }[] = [];
  const unknownPairs: { key: string; keyRange: Range }[] = [];
  for (const pair of item.items) {
    const key = keyText(pair) ?? '?';
    const keyRange = src.node(pair.key as Node, range);
    const value = pair.value as Node | null;
    if (key === 'name') {
      const v = plain(value);
      if (typeof v !== 'string' && typeof v !== 'number') {
        diagnostics.push({
          severity: 'error',
          code: 'layer.invalid-name',
          message: 'A layer name must be a string',
          range: src.node(value, keyRange),
        });
      } else {
        name = { value: String(v), range: src.node(value, keyRange) };
      }
    } else if (key === 'from') {
      from = parseFrom(src, value, keyRange, diagnostics);
    } else if (key === MERGE_KEY) {
      continue;
    } else if (getLayerKind(key, 'pytorch')) {
      kindPairs.push({ key, pair, keyRange });
    } else {
      unknownPairs.push({ key, keyRange });
    }
  }
  // A lone unknown key is most likely a misspelt kind; otherwise it is an unknown layer key.
  // A layer that can't be understood keeps its place (and name) in the graph as a placeholder
  // without a shape, so the layers after it don't silently read the layer before it.
  if (kindPairs.length === 0) {
    const candidate = unknownPairs[0];
    const layerName = name?.value ?? `${candidate?.key ?? 'layer'}_${index + 1}`;
    diagnostics.push(missingKindDiagnostic(candidate, index, range, layerName));
    return placeholderLayer(index, layerName, name, candidate?.keyRange ?? range, range, from);
  }
  if (kindPairs.length > 1) {
    const layerName = name?.value ?? `${kindPairs[0]!.key}_${index + 1}`;
    diagnostics.push(
      multipleKindsDiagnostic(
        kindPairs.map((k) => k.key),
        kindPairs[1]!.keyRange,
        layerName,
        "start a new list item with '- '",
      ),
    );
    return placeholderLayer(index, layerName, name, kindPairs[0]!.keyRange, range, from);
  }
  const kindPair = kindPairs[0]!;
  const layerName = name?.value ?? `${kindPair.key}_${index + 1}`;
  for (const unknown of unknownPairs) diagnostics.push(unknownLayerKeyDiagnostic(unknown, layerName, 'mapping'));
  const paramsNode = kindPair.pair.value as Node | null;
  const params = new Map<string, ParamEntry>();
  const paramsRange = src.node(paramsNode, kindPair.keyRange);
  let insertion: LayerSpec['insertion'];
  if (isMap(paramsNode)) {
    for (const p of paramsNode.items) {
      const key = keyText(p);
      if (key === undefined) continue;
      const valueNode = p.value as Node | null;
      const keyRange = src.node(p.key as Node, paramsRange);
      params.set(key, {
        key,
        value: plain(valueNode),
        // Reported by aliasDiagnostics: validation adds nothing (no false "needs kernel_size").
        ...(key === MERGE_KEY || isAlias(valueNode) ? { reported: true } : {}),
        keyRange,
        valueRange: src.node(valueNode, keyRange),
        itemRanges: isSeq(valueNode) ? valueNode.items.map((n) => src.node(n as Node, keyRange)) : undefined,
      });
    }
    insertion = insertionPoint(src, paramsNode);
  } else if (paramsNode !== null && !(isScalar(paramsNode) && paramsNode.value === null)) {
    diagnostics.push({
      severity: 'error',
      code: 'layer.params-not-a-mapping',
      message: `${layerName}: the parameters of ${kindPair.key} must be a mapping, e.g. \`${kindPair.key}: {}\``,
      range: paramsRange,
      layer: layerName,
    });
  }
  return {
    index,
    name: layerName,
    nameExplicit: name !== undefined,
    nameRange: name?.range,
    kind: kindPair.key,
    kindRange: kindPair.keyRange,
    range,
    paramsRange,
    params,
    from,
    insertion,
    itemIndent: itemIndent(src, item),
  };
}

/** The 'unresolved' placeholder standing for a layer whose kind is unknown, doubled or missing. */
function placeholderLayer(
  index: number,
  layerName: string,
  name: { range: Range } | undefined,
  kindRange: Range,
  range: Range,
  from: LayerSpec['from'],
): LayerSpec {
  return {
    index,
    name: layerName,
    nameExplicit: name !== undefined,
    nameRange: name?.range,
    kind: 'unresolved',
    kindRange,
    range,
    paramsRange: kindRange,
    params: new Map(),
    from,
  };
}

function parseFrom(src: SourceMap, node: Node | null, keyRange: Range, diagnostics: Diagnostic[]): LayerSpec['from'] {
  const range = src.node(node, keyRange);
  const items = isSeq(node) ? (node.items as Node[]) : [node];
  const refs: LayerRef[] = [];
  for (const n of items) {
    const v = plain(n);
    if (typeof v !== 'string' && typeof v !== 'number') {
      diagnostics.push({
        severity: 'error',
        code: 'graph.invalid-from',
        message: '`from` lists layer names (or `input`)',
        range: src.node(n, range),
      });
      continue;
    }
    refs.push({ name: String(v), range: src.node(n, range) });
  }
  return { refs, range };
}

/** Where `key: value` goes in a parameter mapping, for quick fixes that add a parameter. */
function insertionPoint(src: SourceMap, map: YAMLMap): LayerSpec['insertion'] {
  const r = map.range;
  if (!r) return undefined;
  if (map.flow) {
    const close = src.text.lastIndexOf('}', r[1]);
    if (close < r[0]) return undefined;
    return { position: src.position(close), style: map.items.length === 0 ? 'flow-empty' : 'flow' };
  }
  const last = map.items[map.items.length - 1];
  const first = map.items[0];
  const lastEnd = (last?.value as Node | null)?.range?.[1] ?? (last?.key as Node | null)?.range?.[1];
  const firstStart = (first?.key as Node | null)?.range?.[0];
  if (lastEnd === undefined || firstStart === undefined) return undefined;
  const column = src.position(firstStart).character;
  return { position: src.position(lastEnd), style: 'block', indent: ' '.repeat(column) };
}

/** Column of the `- ` that starts a block sequence item. */
function itemIndent(src: SourceMap, item: YAMLMap): number | undefined {
  const start = item.range?.[0];
  if (start === undefined || item.flow) return undefined;
  const lineStart = src.text.lastIndexOf('\n', start - 1) + 1;
  const prefix = src.text.slice(lineStart, start);
  return /^\s*-\s+$/.test(prefix) ? prefix.indexOf('-') : undefined;
}
