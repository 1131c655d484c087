// What the cursor is on in a model document, from the parser's ranges: a layer (its kind key, its
// name, a parameter key or value), a `from` reference, or the model input.

import type * as vscode from 'vscode';
import { INPUT_NAME, type AnalyzedLayer, type ModelAnalysis, type Range } from '../core';
import { rangeContains } from './convert';

export type Target = { type: 'layer'; layer: AnalyzedLayer; range: Range } | { type: 'input'; range: Range };

export function targetAt(model: ModelAnalysis, position: vscode.Position): Target | undefined {
  const input = model.spec.input;
  if (input && rangeContains(input.range, position)) return { type: 'input', range: input.range };
  for (const layer of model.layers) {
    const spec = layer.spec;
    if (!rangeContains(spec.range, position)) continue;
    for (const ref of spec.from?.refs ?? []) {
      if (!rangeContains(ref.range, position)) continue;
      if (ref.name === INPUT_NAME) return input ? { type: 'input', range: ref.range } : undefined;
      const target = model.byName.get(ref.name);
      return target ? { type: 'layer', layer: target, range: ref.range } : undefined;
    }
    if (rangeContains(spec.kindRange, position)) return { type: 'layer', layer, range: spec.kindRange };
    if (rangeContains(spec.nameRange, position)) return { type: 'layer', layer, range: spec.nameRange! };
    for (const param of spec.params.values()) {
      if (rangeContains(param.keyRange, position)) return { type: 'layer', layer, range: param.keyRange };
      if (rangeContains(param.valueRange, position)) return { type: 'layer', layer, range: param.valueRange };
    }
    return undefined;
  }
  return undefined;
}

/** The layer whose list item contains the position. */
export function layerAt(model: ModelAnalysis, position: vscode.Position): AnalyzedLayer | undefined {
  return model.layers.find((layer) => rangeContains(layer.spec.range, position));
}
