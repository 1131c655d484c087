// TensorFlow.js layer arguments → registry parameters: each value checked with TensorFlow's own
// names (`filters must be a positive integer`), so a TensorFlow file never sees a PyTorch
// parameter name in a message, and TensorFlow's own refusals (strides with dilation).

import type * as TS from 'typescript';
import type { Diagnostic, ParamEntry, Range } from '../../types';
import { closestMatch } from '../../suggest';
import { unresolvedDiagnostic } from '../ts/diagnostics';
import type { Evaluator } from '../ts/evaluate';
import type { TsSource } from '../ts/source';
import { TF_ACTIVATIONS, type ArgRule } from './layers';
import { isArrayValue, toPlain, type ObjectProperty } from '../ts/values';

export interface TfArgContext {
  source: TsSource;
  evaluator: Evaluator;
  diagnostics: Diagnostic[];
}

export function unknownActivation(ctx: TfArgContext, name: string, value: unknown, node: TS.Node) {
  const known = Object.keys(TF_ACTIVATIONS);
  const suggestion = typeof value === 'string' ? closestMatch(value, known) : undefined;
  const range = ctx.source.range(node);
  ctx.diagnostics.push({
    severity: 'error',
    code: 'tfjs.unknown-activation',
    message: `${name}: unknown activation ${JSON.stringify(value)}${suggestion ? `; did you mean '${suggestion}'?` : ` (TensorFlow.js activations: ${known.join(', ')})`}`,
    range,
    layer: name,
    fixes: suggestion
      ? [{ title: `Change to '${suggestion}'`, preferred: true, edits: [{ range, newText: `'${suggestion}'` }] }]
      : undefined,
  });
}

/** TensorFlow refuses strides > 1 together with a dilation rate > 1 (conv2d, separableConv2d). */
export function checkStridesWithDilation(ctx: TfArgContext, name: string, params: Map<string, ParamEntry>) {
  const ones = (v: unknown) => (Array.isArray(v) ? v.every((x) => x === 1) : v === 1 || v === undefined);
  const stride = params.get('stride');
  const dilation = params.get('dilation');
  if (stride && dilation && !ones(stride.value) && !ones(dilation.value)) {
    ctx.diagnostics.push({
      severity: 'error',
      code: 'tfjs.strides-and-dilation',
      message: `${name}: TensorFlow.js needs strides or dilationRate to be 1, got strides ${JSON.stringify(stride.value)} with dilationRate ${JSON.stringify(dilation.value)} (it throws when the model runs)`,
      range: dilation.valueRange,
      layer: name,
    });
  }
}

/** Checks one TensorFlow argument with TensorFlow's names and writes the registry parameter(s). */
export function mapArg(ctx: TfArgContext, name: string, prop: ObjectProperty, rule: ArgRule, params: Map<string, ParamEntry>): boolean {
  const source = ctx.source;
  const raw = prop.value();
  if (raw === undefined) return true;
  const plain = toPlain(raw, ctx.evaluator, prop.valueNode);
  if (!plain.ok) {
    ctx.diagnostics.push(unresolvedDiagnostic(source, plain.unresolved, prop.valueNode, { layer: name, what: prop.key }));
    return false;
  }
  const value = plain.value;
  const keyRange = source.range(prop.keyNode);
  const valueRange = source.range(prop.valueNode);
  const itemRanges = isArrayValue(raw) ? raw.items.map((i) => source.range(i.node)) : undefined;
  const put = (key: string, v: unknown, ranges: { value?: Range; items?: Range[] } = {}) =>
    params.set(key, { key, value: v, keyRange, valueRange: ranges.value ?? valueRange, itemRanges: ranges.items ?? itemRanges });
  const invalid = (expected: string) => {
    ctx.diagnostics.push({
      severity: 'error',
      code: 'param.invalid-value',
      message: `${name}: ${prop.key} must be ${expected}, got ${JSON.stringify(value)}`,
      range: valueRange,
      layer: name,
    });
    return false;
  };
  const isInt = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;
  const isPair = (v: unknown, min: number) => Array.isArray(v) && v.length === 2 && v.every((x) => isInt(x, min));
  switch (rule.type) {
    case 'positive-int':
      if (!isInt(value, 1)) return invalid('a positive integer');
      put(rule.to!, value);
      return true;
    case 'int':
      if (!isInt(value, -Infinity)) return invalid('an integer');
      put(rule.to!, value);
      return true;
    case 'int-or-pair':
      if (!isInt(value, 1) && !isPair(value, 1)) return invalid('a positive integer or a pair of them');
      put(rule.to!, value);
      return true;
    case 'up-size':
      // tfjs-layers reads size[0] and size[1]: a single number gives NaN sizes when it runs.
      if (!isPair(value, 1)) return invalid('a pair [sh, sw] of positive integers (tfjs-layers does not accept a single number here)');
      put(rule.to!, value);
      return true;
    case 'bool':
      if (typeof value !== 'boolean') return invalid('true or false');
      put(rule.to!, value);
      return true;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return invalid('a number');
      put(rule.to!, value);
      return true;
    case 'rate':
      if (typeof value !== 'number' || !(value >= 0 && value < 1)) return invalid('a number in [0, 1)');
      put(rule.to!, value);
      return true;
    case 'conv-padding':
      if (value === 'causal') {
        ctx.diagnostics.push({
          severity: 'error',
          code: 'param.invalid-value',
          message: `${name}: padding 'causal' is for 1-D convolutions only; use 'valid' or 'same'`,
          range: valueRange,
          layer: name,
        });
        return false;
      }
      if (value !== 'valid' && value !== 'same') return invalid(`'valid' or 'same'`);
      put(rule.to!, value);
      return true;
    case 'interpolation':
      if (value !== 'nearest' && value !== 'bilinear') return invalid(`'nearest' or 'bilinear'`);
      put(rule.to!, value);
      return true;
    case 'channel-axis':
      if (value === -1 || value === 3) return true;
      ctx.diagnostics.push({
        severity: 'info',
        code: 'tfjs.unsupported-arg',
        message: `${name}: axis ${JSON.stringify(value)} is not supported (ConvLens normalizes the channel axis, -1); its output shape and every shape after it are unknown`,
        range: valueRange,
        layer: name,
      });
      return false;
    case 'zero-padding': {
      if (isInt(value, 0) || isPair(value, 0)) {
        put('padding', value);
        return true;
      }
      const sides =
        Array.isArray(value) && value.length === 2 && value.every((side) => isPair(side, 0)) ? (value as [number, number][]) : undefined;
      if (!sides) return invalid('p, [ph, pw] or [[top, bottom], [left, right]] of non-negative integers');
      const outer = isArrayValue(raw) ? raw.items : [];
      const inner = (i: number) => {
        const item = outer[i]?.value;
        return isArrayValue(item) ? item.items.map((x) => source.range(x.node)) : [];
      };
      const [h, w] = [inner(0), inner(1)];
      put('top', sides[0]![0], { value: h[0] });
      put('bottom', sides[0]![1], { value: h[1] });
      put('left', sides[1]![0], { value: w[0] });
      put('right', sides[1]![1], { value: w[1] });
      return true;
    }
  }
}
