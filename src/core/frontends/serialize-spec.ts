// A ModelSpec as plain data, so that a spec parsed in one process can be analyzed in another: the
// extension host parses TypeScript model files (the `typescript` module lives there) and the
// preview's worker analyzes and runs them. Everything in a ModelSpec is already plain data (ranges
// are {line, character} records) except `LayerSpec.params`, a Map, which travels as its entries in
// order. Pure: no vscode, no DOM, no Node.

import type { LayerSpec, ModelSpec, ParamEntry } from '../types';

export interface SerializedLayerSpec extends Omit<LayerSpec, 'params'> {
  /** The parameter map's [key, entry] pairs, in insertion order. */
  params: [string, ParamEntry][];
}

export interface SerializedModelSpec extends Omit<ModelSpec, 'layers'> {
  layers: SerializedLayerSpec[];
}

export function serializeModelSpec(spec: ModelSpec): SerializedModelSpec {
  return { ...spec, layers: spec.layers.map((layer) => ({ ...layer, params: [...layer.params] })) };
}

export function deserializeModelSpec(serialized: SerializedModelSpec): ModelSpec {
  return { ...serialized, layers: serialized.layers.map((layer) => ({ ...layer, params: new Map(layer.params) })) };
}
