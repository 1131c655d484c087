// The `*.cnn.ts` front end: the default export (or a const typed / `satisfies` ModelSpec) is an
// object literal with the YAML form's structure, `{name, input, layers: [{name, from, <kind>:
// {...}}]}`. Values are resolved statically (see ./evaluate.ts); diagnostics use the YAML front
// end's codes so both forms read the same, with ranges on the TypeScript properties.

import type * as TS from 'typescript';
import { describeValue } from '../../limits';
import { DATASET_PRESETS, datasetInputShape } from '../../datasets';
import { missingKindDiagnostic, multipleKindsDiagnostic, unknownLayerKeyDiagnostic } from '../layer-diagnostics';
import { getLayerKind } from '../../kinds';
import { closestMatch } from '../../suggest';
import type { Diagnostic, InputSpec, LayerRef, LayerSpec, ModelSpec, ParamEntry, ParseResult, Range } from '../../types';
import { unresolvedDiagnostic } from './diagnostics';
import {
  Evaluator,
  getProperty,
  isArrayValue,
  isObjectValue,
  isUnresolved,
  properties,
  toPlain,
  unknownSpread,
  type ObjectValue,
  type Unresolved,
  type Value,
} from './evaluate';
import type { TsSource } from './source';

const MODEL_KEYS = ['name', 'input', 'layers'];
const MODEL_TYPE_NAME = 'ModelSpec';

/** Parses a `*.cnn.ts` source into the frontend-independent ModelSpec (framework 'pytorch'). */
export function parseSpecModel(source: TsSource, diagnostics: Diagnostic[]): ParseResult {
  const evaluator = new Evaluator(source);
  const root = findModelExpression(source);
  if (!root) {
    diagnostics.push({
      severity: 'error',
      code: 'ts.no-model',
      message: `No model found: a *.cnn.ts file exports its model, e.g. \`export default { input: [1, 3, 224, 224], layers: [...] } satisfies ${MODEL_TYPE_NAME}\` (or \`const model: ${MODEL_TYPE_NAME} = {...}\`)`,
      range: source.firstLine(),
    });
    return { diagnostics };
  }
  const value = evaluator.evaluate(root);
  if (isUnresolved(value)) {
    diagnostics.push(unresolvedDiagnostic(source, value, root, { what: 'the model', consequence: 'nothing can be analyzed' }));
    return { diagnostics };
  }
  if (!isObjectValue(value)) {
    diagnostics.push({
      severity: 'error',
      code: 'model.not-a-mapping',
      message: 'A model is an object literal with `input` and `layers` (and optionally `name`)',
      range: source.range(root),
    });
    return { diagnostics };
  }
  const model: ModelSpec = { framework: 'pytorch', layers: [], range: source.offsets(0, source.text.length) };
  const spread = unknownSpread(value);
  for (const prop of properties(value)) {
    if (prop.key === 'name') {
      const name = prop.value();
      if (typeof name === 'string') model.name = name;
      else if (isUnresolved(name))
        diagnostics.push(
          unresolvedDiagnostic(source, name, prop.valueNode, { what: 'the model name', consequence: 'the model is shown without a name' }),
        );
    } else if (!MODEL_KEYS.includes(prop.key)) {
      const suggestion = closestMatch(prop.key, MODEL_KEYS);
      const keyRange = source.range(prop.keyNode);
      diagnostics.push({
        severity: 'warning',
        code: 'model.unknown-key',
        message: `Unknown model key '${prop.key}'${suggestion ? `; did you mean '${suggestion}'?` : ' (expected name, input, layers)'}`,
        range: keyRange,
        fixes: suggestion
          ? [{ title: `Change to '${suggestion}'`, preferred: true, edits: [{ range: keyRange, newText: suggestion }] }]
          : undefined,
      });
    }
  }
  const rootRange = source.range(root);
  const inputProp = getProperty(value, 'input');
  if (inputProp && 'kind' in inputProp) {
    diagnostics.push(unresolvedDiagnostic(source, inputProp, root, { what: 'the model input', consequence: 'every shape is unknown' }));
  } else if (inputProp) {
    model.input = parseInput(source, evaluator, inputProp.value(), inputProp.valueNode, diagnostics);
  } else if (!spread) {
    diagnostics.push({
      severity: 'error',
      code: 'model.missing-input',
      message: 'The model has no `input` shape, e.g. `input: [1, 3, 224, 224]`',
      range: rootRange,
    });
  }
  const layersProp = getProperty(value, 'layers');
  if (layersProp && 'kind' in layersProp) {
    diagnostics.push(unresolvedDiagnostic(source, layersProp, root, { what: 'the layers', consequence: 'no layer can be analyzed' }));
  } else if (!layersProp) {
    if (!spread)
      diagnostics.push({ severity: 'error', code: 'model.missing-layers', message: 'The model has no `layers` list', range: rootRange });
  } else {
    const layers = layersProp.value();
    if (isUnresolved(layers)) {
      diagnostics.push(
        unresolvedDiagnostic(source, layers, layersProp.valueNode, { what: 'layers', consequence: 'no layer can be analyzed' }),
      );
    } else if (!isArrayValue(layers)) {
      diagnostics.push({
        severity: 'error',
        code: 'model.layers-not-a-list',
        message: '`layers` must be an array of layers (`{conv2d: {...}}`)',
        range: source.range(layersProp.valueNode),
      });
    } else {
      model.layers = parseLayers(source, evaluator, layers.items, diagnostics);
    }
  }
  if (spread) {
    diagnostics.push(
      unresolvedDiagnostic(source, spread, spread.node, { what: 'a spread in the model', consequence: 'keys it may set are unknown' }),
    );
  }
  return { model, diagnostics };
}

/** `export default X`, `export = X`, or a top-level const typed (or `satisfies`) ModelSpec. */
export function findModelExpression(source: TsSource): TS.Expression | undefined {
  const ts = source.ts;
  for (const statement of source.file.statements) {
    if (ts.isExportAssignment(statement)) return statement.expression;
  }
  for (const statement of source.file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations) {
      if (!decl.initializer) continue;
      if (decl.type && namesModelType(ts, decl.type)) return decl.initializer;
      let init: TS.Expression = decl.initializer;
      while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init)) {
        if (ts.isAsExpression(init) && namesModelType(ts, init.type)) return decl.initializer;
        init = init.expression;
      }
      if (ts.isSatisfiesExpression(init) && namesModelType(ts, init.type)) return decl.initializer;
    }
  }
  return undefined;
}

function namesModelType(ts: TsSource['ts'], type: TS.TypeNode): boolean {
  if (!ts.isTypeReferenceNode(type)) return false;
  const name = type.typeName;
  return (ts.isIdentifier(name) ? name.text : name.right.text) === MODEL_TYPE_NAME;
}

function parseInput(source: TsSource, evaluator: Evaluator, value: Value, node: TS.Node, diagnostics: Diagnostic[]): InputSpec | undefined {
  const range = source.range(node);
  const plain = toPlain(value, evaluator, node);
  if (!plain.ok) {
    diagnostics.push(unresolvedDiagnostic(source, plain.unresolved, node, { what: 'input', consequence: 'every shape is unknown' }));
    return undefined;
  }
  const v = plain.value;
  if (Array.isArray(v)) {
    const ok = v.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0);
    if (!ok || v.length < 2 || v.length > 4) {
      diagnostics.push({
        severity: 'error',
        code: 'input.invalid',
        message: `input must be [N, C, H, W] or [C, H, W] of positive integers, got ${describeValue(v)}`,
        range,
      });
      return undefined;
    }
    const shape = v as number[];
    return { shape: shape.length === 3 ? [1, ...shape] : shape, range };
  }
  if (typeof v === 'object' && v !== null) {
    const spec = v as Record<string, unknown>;
    const dataset = spec.dataset;
    const known = Object.keys(DATASET_PRESETS);
    const object = value as ObjectValue;
    const propRange = (key: string) => {
      const prop = getProperty(object, key);
      return prop && !('kind' in prop) ? source.range(prop.valueNode) : range;
    };
    if (typeof dataset !== 'string' || !Object.prototype.hasOwnProperty.call(DATASET_PRESETS, dataset)) {
      const suggestion = typeof dataset === 'string' ? closestMatch(dataset, known) : undefined;
      diagnostics.push({
        severity: 'error',
        code: 'input.unknown-dataset',
        message: `Unknown dataset ${JSON.stringify(dataset)}${suggestion ? `; did you mean '${suggestion}'?` : ''} (presets: ${known.join(', ')})`,
        range: propRange('dataset'),
      });
      return undefined;
    }
    let size: [number, number] | undefined;
    if (spec.size !== undefined) {
      const s = spec.size;
      if (!Array.isArray(s) || s.length !== 2 || !s.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) {
        diagnostics.push({
          severity: 'error',
          code: 'input.invalid',
          message: `size must be [H, W] of positive integers, got ${describeValue(s)}`,
          range: propRange('size'),
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

interface LayerItem {
  node: TS.Node;
  value: Value;
  unknownSpread?: boolean;
}

function parseLayers(source: TsSource, evaluator: Evaluator, items: LayerItem[], diagnostics: Diagnostic[]): LayerSpec[] {
  const layers: LayerSpec[] = [];
  /** Placeholders standing for an unknown number of layers (an unresolved spread). */
  const unknownRuns: LayerSpec[] = [];
  items.forEach((item) => {
    const index = layers.length;
    if (item.unknownSpread || isUnresolved(item.value)) {
      const unresolved = item.value as Unresolved;
      const layer = placeholder(source, item.node, index, `unresolved_${index + 1}`, undefined);
      diagnostics.push(
        unresolvedDiagnostic(source, unresolved, item.node, {
          layer: layer.name,
          what: item.unknownSpread ? 'layers' : 'layer',
          consequence: item.unknownSpread ? 'the layers it adds and every shape after them are unknown' : undefined,
        }),
      );
      if (item.unknownSpread) unknownRuns.push(layer);
      layers.push(layer);
      return;
    }
    const layer = parseLayer(source, evaluator, item, index, diagnostics);
    if (layer) layers.push(layer);
  });
  // Layers inside an unresolved spread have unknown names: a reference that matches no known layer
  // goes to the placeholder before it, so its shape is unknown rather than an error.
  if (unknownRuns.length > 0) {
    const names = new Set(layers.map((l) => l.name));
    for (const layer of layers) {
      const before = unknownRuns.filter((p) => p.index < layer.index).pop();
      if (!before || !layer.from) continue;
      for (const ref of layer.from.refs) if (ref.name !== 'input' && !names.has(ref.name)) ref.name = before.name;
    }
  }
  return layers;
}

function placeholder(source: TsSource, node: TS.Node, index: number, name: string, from: LayerSpec['from'], nameRange?: Range): LayerSpec {
  const range = source.range(node);
  return {
    index,
    name,
    nameExplicit: nameRange !== undefined,
    nameRange,
    kind: 'unresolved',
    kindRange: range,
    range,
    paramsRange: range,
    params: new Map(),
    from,
  };
}

function parseLayer(
  source: TsSource,
  evaluator: Evaluator,
  item: LayerItem,
  index: number,
  diagnostics: Diagnostic[],
): LayerSpec | undefined {
  const ts = source.ts;
  const range = source.range(item.node);
  const object = item.value;
  if (!isObjectValue(object)) {
    diagnostics.push({
      severity: 'error',
      code: 'layer.not-a-mapping',
      message: `Layer ${index + 1} must be an object like \`{conv2d: {out_channels: 16, kernel_size: 3}}\``,
      range,
    });
    return placeholder(source, item.node, index, `layer_${index + 1}`, undefined);
  }
  let name: { value: string; range: Range } | undefined;
  let from: LayerSpec['from'];
  let problem: { unresolved: Unresolved; at: TS.Node; what: string } | undefined;
  const kinds: { key: string; keyNode: TS.Node; valueNode: TS.Node; value: () => Value }[] = [];
  const unknown: { key: string; keyRange: Range }[] = [];
  for (const prop of properties(object)) {
    if (prop.key === 'name') {
      const v = prop.value();
      if (isUnresolved(v)) problem ??= { unresolved: v, at: prop.valueNode, what: 'name' };
      else if (typeof v !== 'string' && typeof v !== 'number')
        diagnostics.push({
          severity: 'error',
          code: 'layer.invalid-name',
          message: 'A layer name must be a string',
          range: source.range(prop.valueNode),
        });
      else name = { value: String(v), range: source.range(prop.valueNode) };
    } else if (prop.key === 'from') {
      const parsed = parseFrom(source, evaluator, prop.value(), prop.valueNode, diagnostics);
      if ('unresolved' in parsed) problem ??= { unresolved: parsed.unresolved, at: prop.valueNode, what: 'from' };
      else from = parsed.from;
    } else if (getLayerKind(prop.key, 'pytorch')) {
      kinds.push({ key: prop.key, keyNode: prop.keyNode, valueNode: prop.valueNode, value: prop.value });
    } else {
      unknown.push({ key: prop.key, keyRange: source.range(prop.keyNode) });
    }
  }
  const spread = unknownSpread(object);
  if (spread) problem ??= { unresolved: spread, at: spread.node, what: 'a spread in the layer' };
  if (spread && kinds.length === 0) {
    const layer = placeholder(source, item.node, index, name?.value ?? `unresolved_${index + 1}`, from, name?.range);
    diagnostics.push(unresolvedDiagnostic(source, spread, spread.node, { layer: layer.name, what: 'the layer' }));
    return layer;
  }
  // A layer that can't be understood keeps its place (and name) in the graph as a placeholder
  // without a shape, so the layers after it don't silently read the layer before it.
  if (kinds.length === 0) {
    const candidate = unknown[0];
    const layerName = name?.value ?? `${candidate?.key ?? 'layer'}_${index + 1}`;
    diagnostics.push(missingKindDiagnostic(candidate, index, range, layerName));
    const layer = placeholder(source, item.node, index, layerName, from, name?.range);
    return candidate ? { ...layer, kindRange: candidate.keyRange } : layer;
  }
  if (kinds.length > 1) {
    const layerName = name?.value ?? `${kinds[0]!.key}_${index + 1}`;
    diagnostics.push(
      multipleKindsDiagnostic(
        kinds.map((k) => k.key),
        source.range(kinds[1]!.keyNode),
        layerName,
        'start a new object in the layers array',
      ),
    );
    return { ...placeholder(source, item.node, index, layerName, from, name?.range), kindRange: source.range(kinds[0]!.keyNode) };
  }
  const kind = kinds[0]!;
  const layerName = name?.value ?? `${kind.key}_${index + 1}`;
  for (const u of unknown) diagnostics.push(unknownLayerKeyDiagnostic(u, layerName, 'object'));
  const kindRange = source.range(kind.keyNode);
  const paramsValue = kind.value();
  const paramsRange = source.range(kind.valueNode);
  const params = new Map<string, ParamEntry>();
  let insertion: LayerSpec['insertion'];
  if (!problem && isUnresolved(paramsValue)) problem = { unresolved: paramsValue, at: kind.valueNode, what: kind.key };
  if (!problem && isObjectValue(paramsValue)) {
    const paramsSpread = unknownSpread(paramsValue);
    if (paramsSpread) problem = { unresolved: paramsSpread, at: paramsSpread.node, what: 'a spread in the parameters' };
    for (const prop of properties(paramsValue)) {
      if (problem) break;
      const plain = toPlain(prop.value(), evaluator, prop.valueNode);
      if (!plain.ok) {
        problem = { unresolved: plain.unresolved, at: prop.valueNode, what: prop.key };
        break;
      }
      const raw = prop.value();
      params.set(prop.key, {
        key: prop.key,
        value: plain.value,
        keyRange: source.range(prop.keyNode),
        valueRange: source.range(prop.valueNode),
        itemRanges: isArrayValue(raw) ? raw.items.map((i) => source.range(i.node)) : undefined,
      });
    }
    if (ts.isObjectLiteralExpression(kind.valueNode)) insertion = insertionPoint(source, kind.valueNode);
  } else if (!problem && paramsValue !== null && paramsValue !== undefined) {
    diagnostics.push({
      severity: 'error',
      code: 'layer.params-not-a-mapping',
      message: `${layerName}: the parameters of ${kind.key} must be an object, e.g. \`${kind.key}: {}\``,
      range: paramsRange,
      layer: layerName,
    });
  }
  if (problem) {
    diagnostics.push(unresolvedDiagnostic(source, problem.unresolved, problem.at, { layer: layerName, what: problem.what }));
    const layer = placeholder(source, item.node, index, layerName, from, name?.range);
    return { ...layer, kindRange };
  }
  return {
    index,
    name: layerName,
    nameExplicit: name !== undefined,
    nameRange: name?.range,
    kind: kind.key,
    kindRange,
    range,
    paramsRange,
    params,
    from,
    insertion,
  };
}

function parseFrom(
  source: TsSource,
  evaluator: Evaluator,
  value: Value,
  node: TS.Node,
  diagnostics: Diagnostic[],
): { from: LayerSpec['from'] } | { unresolved: Unresolved } {
  const range = source.range(node);
  if (isUnresolved(value)) return { unresolved: value };
  const items = isArrayValue(value) ? value.items : [{ node, value }];
  const refs: LayerRef[] = [];
  for (const item of items) {
    if (isUnresolved(item.value)) return { unresolved: item.value };
    const v = item.value;
    if (typeof v !== 'string' && typeof v !== 'number') {
      const plain = toPlain(v, evaluator, item.node);
      if (!plain.ok) return { unresolved: plain.unresolved };
      diagnostics.push({
        severity: 'error',
        code: 'graph.invalid-from',
        message: '`from` lists layer names (or `input`)',
        range: source.range(item.node),
      });
      continue;
    }
    refs.push({ name: String(v), range: source.range(item.node) });
  }
  return { from: { refs, range } };
}

/** Where `key: value` goes in a parameter object, for quick fixes that add a parameter. */
function insertionPoint(source: TsSource, object: TS.ObjectLiteralExpression): LayerSpec['insertion'] {
  const last = object.properties[object.properties.length - 1];
  if (!last) return { position: source.position(object.getEnd() - 1), style: 'flow-empty' };
  return { position: source.position(last.getEnd()), style: 'flow' };
}
