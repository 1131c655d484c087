// One `tf.layers.X(config)` as LayerSpecs: the registry kind, its parameters mapped from
// TensorFlow's arguments (./tfjs-args.ts), TensorFlow's layer name, and the fused activation as a
// second layer (`<name>/relu`); a placeholder of kind 'unresolved' where something is unknown.

import type * as TS from 'typescript';
import { closestMatch } from '../../suggest';
import type { LayerSpec, ParamEntry, Range } from '../../types';
import { unresolvedDiagnostic, type UnresolvedOptions } from '../ts/diagnostics';
import {
  getProperty,
  isArrayValue,
  isObjectValue,
  isUnresolved,
  properties,
  unknownSpread,
  type Unresolved,
  type Value,
} from '../ts/evaluate';
import type { TsSource } from '../ts/source';
import { checkStridesWithDilation, mapArg, unknownActivation, type TfArgContext } from './args';
import { SHAPE_NEUTRAL_ARGS, TF_ACTIVATIONS, TF_LAYERS, type TfLayerDef } from './layers';

/** A `tf.layers.X(config)` call: one layer object, which may be applied (once) or added. */
export interface LayerHost {
  type: 'layer';
  call: TS.CallExpression;
  factory: string;
  factoryNode: TS.Node;
  /** TensorFlow's default name, when the config gives none. */
  defaultName: string;
  uses: number;
}

/** A stand-in with an unknown output, for a layer that cannot be resolved. */
export function placeholderSpec(source: TsSource, node: TS.Node, name: string, from: LayerSpec['from'], kindNode?: TS.Node): LayerSpec {
  const range = source.range(node);
  return {
    index: 0,
    name,
    nameExplicit: false,
    kind: 'unresolved',
    kindRange: kindNode ? source.range(kindNode) : range,
    range,
    paramsRange: range,
    params: new Map(),
    from: from && from.refs.length > 0 ? { refs: from.refs.slice(0, 1), range: from.range } : undefined,
  };
}

/** The layer (and its fused activation) as LayerSpecs; a placeholder where it is unknown. */
export function layerSpecs(ctx: TfArgContext, layer: LayerHost, from: LayerSpec['from']): LayerSpec[] {
  const source = ctx.source;
  const ts = source.ts;
  layer.uses++;
  const configNode = layer.call.arguments[0];
  const config = configNode ? ctx.evaluator.evaluate(configNode) : undefined;
  const name = layerName(ctx, layer, config);
  const fail = (): LayerSpec[] => [placeholderSpec(source, layer.call, name, from, layer.factoryNode)];
  const report = (unresolved: Unresolved, at: TS.Node, options: UnresolvedOptions = {}) =>
    ctx.diagnostics.push(unresolvedDiagnostic(source, unresolved, at, { layer: name, ...options }));
  if (layer.uses > 1) {
    ctx.diagnostics.push({
      severity: 'info',
      code: 'tfjs.shared-layer',
      message: `${name} is used a second time here (shared weights); ConvLens analyzes its first use only, so this output and every shape after it are unknown`,
      range: source.range(layer.call),
      layer: name,
    });
    return [placeholderSpec(source, layer.call, `${name}#${layer.uses}`, from, layer.factoryNode)];
  }
  const def = TF_LAYERS[layer.factory];
  if (!def) {
    ctx.diagnostics.push({
      severity: 'info',
      code: 'tfjs.unsupported-layer',
      message: `${name}: tf.layers.${layer.factory} is not supported by ConvLens yet, so its output shape and every shape after it are unknown (supported: ${Object.keys(TF_LAYERS).join(', ')})`,
      range: source.range(layer.factoryNode),
      layer: name,
    });
    return fail();
  }
  if (isUnresolved(config)) {
    report(config, configNode!, { what: 'the config' });
    return fail();
  }
  const required = Object.entries(def.args)
    .filter(([, rule]) => rule.required)
    .map(([arg]) => arg);
  if (!configNode && (def.configRequired || required.length > 0)) {
    ctx.diagnostics.push({
      severity: 'error',
      code: 'tfjs.missing-config',
      message: `${name}: tf.layers.${layer.factory} needs a config object${required.length > 0 ? ` with ${required.join(' and ')}` : ' (`{}` for the defaults)'}; tfjs-layers throws without one`,
      range: source.range(layer.call),
      layer: name,
    });
    return fail();
  }
  if (config !== undefined && !isObjectValue(config)) {
    ctx.diagnostics.push({
      severity: 'error',
      code: 'tfjs.invalid-config',
      message: `${name}: tf.layers.${layer.factory} takes a config object`,
      range: source.range(configNode!),
      layer: name,
    });
    return fail();
  }
  const spread = config ? unknownSpread(config) : undefined;
  if (spread) {
    report(spread, spread.node, { what: 'a spread in the config' });
    return fail();
  }
  const props = config ? properties(config) : [];
  const params = new Map<string, ParamEntry>();
  const kindRange = source.range(layer.factoryNode);
  let ok = true;
  for (const prop of props) {
    const rule = def.args[prop.key];
    if (rule) {
      ok = mapArg(ctx, name, prop, rule, params) && ok;
      if (!ok) return fail();
    } else if (prop.key === 'dataFormat') {
      const value = prop.value();
      if (isUnresolved(value)) {
        report(value, prop.valueNode, { what: 'dataFormat' });
        return fail();
      }
      if (value !== 'channelsLast' && value !== undefined) {
        ctx.diagnostics.push({
          severity: 'info',
          code: 'tfjs.unsupported-arg',
          message: `${name}: dataFormat ${JSON.stringify(value)} is not supported (ConvLens models channelsLast, the TensorFlow.js default); its output shape and every shape after it are unknown`,
          range: source.range(prop.valueNode),
          layer: name,
        });
        return fail();
      }
    } else if (def.ignoredByTfjs?.includes(prop.key)) {
      const value = prop.value();
      if (value !== 1 && !(isArrayValue(value) && value.items.every((i) => i.value === 1))) {
        ctx.diagnostics.push({
          severity: 'warning',
          code: 'tfjs.ignored-arg',
          message: `${name}: tfjs-layers 4.22 ignores ${prop.key} in tf.layers.${layer.factory}; the layer runs (and is analyzed) without it`,
          range: source.range(prop.keyNode),
          layer: name,
        });
      }
    } else if (!SHAPE_NEUTRAL_ARGS.has(prop.key) || (prop.key === 'activation' && !def.activation && def.kind !== 'activation')) {
      const known = [...Object.keys(def.args), ...(def.activation ? ['activation'] : [])];
      const suggestion = closestMatch(prop.key, [...known, ...SHAPE_NEUTRAL_ARGS]);
      const keyRange = source.range(prop.keyNode);
      ctx.diagnostics.push({
        severity: 'warning',
        code: 'tfjs.unknown-arg',
        message: `${name}: tf.layers.${layer.factory} has no argument '${prop.key}'${suggestion ? `; did you mean '${suggestion}'?` : known.length > 0 ? ` (its arguments: ${known.join(', ')})` : ''}`,
        range: keyRange,
        layer: name,
        fixes: suggestion
          ? [{ title: `Change to '${suggestion}'`, preferred: true, edits: [{ range: keyRange, newText: suggestion }] }]
          : undefined,
      });
    }
  }
  for (const [arg, rule] of Object.entries(def.args)) {
    if (rule.required && !props.some((p) => p.key === arg)) {
      ctx.diagnostics.push({
        severity: 'error',
        code: 'tfjs.missing-arg',
        message: `${name}: tf.layers.${layer.factory} needs ${arg}`,
        range: kindRange,
        layer: name,
      });
      return fail();
    }
  }
  for (const [key, value] of Object.entries(def.defaults ?? {})) {
    if (!params.has(key)) params.set(key, { key, value, keyRange: kindRange, valueRange: kindRange });
  }
  const kind = kindOf(ctx, layer, def, config, name);
  if (kind === undefined) return fail();
  checkStridesWithDilation(ctx, name, params);
  const main: LayerSpec = {
    index: 0,
    name,
    nameExplicit: name !== layer.defaultName,
    nameRange: nameRange(source, config),
    kind,
    kindRange,
    range: source.range(layer.call),
    paramsRange: configNode ? source.range(configNode) : kindRange,
    params,
    from,
  };
  const specs = [main];
  const activation = def.activation && config ? getProperty(config, 'activation') : undefined;
  if (activation && !('kind' in activation)) {
    const value = activation.value();
    if (isUnresolved(value)) {
      report(value, activation.valueNode, {
        what: 'activation',
        consequence: 'the activation is unknown (shapes and parameter counts do not depend on it)',
      });
    } else if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(TF_ACTIVATIONS, value)) {
      const activationKind = TF_ACTIVATIONS[value];
      if (activationKind) {
        const range = source.range(activation.valueNode);
        specs.push({
          index: 0,
          name: `${name}/${value}`,
          nameExplicit: false,
          kind: activationKind,
          kindRange: range,
          range: source.range(ts.isPropertyAssignment(activation.valueNode.parent) ? activation.valueNode.parent : activation.valueNode),
          paramsRange: range,
          params: new Map(),
          from: from ? { refs: [{ name, range }], range } : undefined,
        });
      }
    } else if (value !== null && value !== undefined) {
      unknownActivation(ctx, name, value, activation.valueNode);
    }
  }
  return specs;
}

function layerName(ctx: TfArgContext, layer: LayerHost, config: Value): string {
  if (!isObjectValue(config)) return layer.defaultName;
  const prop = getProperty(config, 'name');
  if (!prop || 'kind' in prop) return layer.defaultName;
  const value = prop.value();
  if (typeof value === 'string' && value !== '') return value;
  if (isUnresolved(value)) {
    const text = ctx.source.quote(prop.valueNode, 40);
    ctx.diagnostics.push(
      unresolvedDiagnostic(ctx.source, value, prop.valueNode, {
        layer: text,
        what: 'name',
        consequence: 'the layer is listed under its source text',
      }),
    );
    return text;
  }
  return layer.defaultName;
}

function nameRange(source: TsSource, config: Value): Range | undefined {
  if (!isObjectValue(config)) return undefined;
  const prop = getProperty(config, 'name');
  return prop && !('kind' in prop) ? source.range(prop.valueNode) : undefined;
}

function kindOf(ctx: TfArgContext, layer: LayerHost, def: TfLayerDef, config: Value, name: string): string | undefined {
  if (def.kind === 'activation') {
    const prop = isObjectValue(config) ? getProperty(config, 'activation') : undefined;
    if (!prop) {
      ctx.diagnostics.push({
        severity: 'error',
        code: 'tfjs.missing-arg',
        message: `${name}: tf.layers.activation needs activation`,
        range: ctx.source.range(layer.factoryNode),
        layer: name,
      });
      return undefined;
    }
    if ('kind' in prop) {
      ctx.diagnostics.push(unresolvedDiagnostic(ctx.source, prop, layer.call, { layer: name, what: 'activation' }));
      return undefined;
    }
    const value = prop.value();
    if (isUnresolved(value)) {
      // The activation only names the function; the shape is the input's.
      ctx.diagnostics.push(
        unresolvedDiagnostic(ctx.source, value, prop.valueNode, {
          layer: name,
          what: 'activation',
          consequence: 'the function is unknown; the layer keeps its input shape',
        }),
      );
      return 'identity';
    }
    if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(TF_ACTIVATIONS, value))
      return TF_ACTIVATIONS[value] ?? 'identity';
    unknownActivation(ctx, name, value, prop.valueNode);
    return undefined;
  }
  if (def.kind === 'reLU') {
    const prop = isObjectValue(config) ? getProperty(config, 'maxValue') : undefined;
    const value = prop && !('kind' in prop) ? prop.value() : undefined;
    return value === 6 ? 'relu6' : 'relu';
  }
  return def.kind;
}
