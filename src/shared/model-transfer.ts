// A model analysis as plain data, so that the analysis the extension host made of a model file (of
// any front end: YAML, *.cnn.ts, TensorFlow.js code) is the one the preview's worker runs: it
// crosses to the webview once (through the webview's JSON messages), is validated there, and is
// rebuilt in the worker without parsing or analyzing again. What does not survive JSON changes
// form: bigints travel as decimal strings, the spec's params Maps as entries (serialize-spec.ts),
// and `byName` is rebuilt from the layers. Each layer's spec is its index in the model's spec.
//
// Pure TypeScript: no vscode, no DOM, no Node.

import type { AnalyzedLayer, Im2colInfo, InputSlice, LayerFact, ModelAnalysis, ReceptiveField } from '../core/analyze/analysis-types';
import type { TransposedAxis, WindowAxis, WindowGeometry } from '../core/geometry';
import { deserializeModelSpec, serializeModelSpec, type SerializedModelSpec } from '../core/frontends/serialize-spec';
import type { Shape } from '../core/types';
import {
  array,
  boolean,
  count,
  literal,
  MessageError,
  nullable,
  number,
  object,
  optional,
  plainData,
  string,
  type Validator,
} from './validate';

/** A bigint as its decimal digits. */
export type BigintText = string;

export interface SerializedLayer extends Omit<AnalyzedLayer, 'spec' | 'params' | 'macs' | 'activationBytes' | 'im2col'> {
  /** Index of the layer's spec in the model's `spec.layers`. */
  specIndex: number;
  params: BigintText;
  macs: BigintText;
  activationBytes: BigintText;
  im2col?: Omit<Im2colInfo, 'rows' | 'bytes'> & { rows: BigintText; bytes: BigintText };
}

export interface SerializedAnalysis extends Omit<
  ModelAnalysis,
  'spec' | 'layers' | 'byName' | 'totalParams' | 'totalMacs' | 'totalActivationBytes'
> {
  spec: SerializedModelSpec;
  layers: SerializedLayer[];
  totalParams: BigintText;
  totalMacs: BigintText;
  totalActivationBytes: BigintText;
}

export function serializeAnalysis(model: ModelAnalysis): SerializedAnalysis {
  // byName is rebuilt from the layers on arrival.
  const { spec, layers, byName, totalParams, totalMacs, totalActivationBytes, ...rest } = model;
  const specIndex = new Map(spec.layers.map((layerSpec, i) => [layerSpec, i]));
  return {
    ...rest,
    spec: serializeModelSpec(spec),
    layers: layers.map(({ spec: layerSpec, params, macs, activationBytes, im2col, ...layer }) => {
      const index = specIndex.get(layerSpec);
      if (index === undefined) throw new Error(`layer ${layer.name}: its spec is not one of the model's`);
      return {
        ...layer,
        specIndex: index,
        params: params.toString(),
        macs: macs.toString(),
        activationBytes: activationBytes.toString(),
        ...(im2col === undefined ? {} : { im2col: { ...im2col, rows: im2col.rows.toString(), bytes: im2col.bytes.toString() } }),
      };
    }),
    totalParams: totalParams.toString(),
    totalMacs: totalMacs.toString(),
    totalActivationBytes: totalActivationBytes.toString(),
  };
}

export function deserializeAnalysis(serialized: SerializedAnalysis): ModelAnalysis {
  const spec = deserializeModelSpec(serialized.spec);
  const layers = serialized.layers.map(({ specIndex, params, macs, activationBytes, im2col, ...rest }): AnalyzedLayer => {
    const layerSpec = spec.layers[specIndex];
    if (layerSpec === undefined) throw new Error(`layer ${rest.name}: spec ${specIndex} is not in the model`);
    return {
      ...rest,
      spec: layerSpec,
      params: BigInt(params),
      macs: BigInt(macs),
      activationBytes: BigInt(activationBytes),
      ...(im2col === undefined ? {} : { im2col: { ...im2col, rows: BigInt(im2col.rows), bytes: BigInt(im2col.bytes) } }),
    };
  });
  const byName = new Map<string, AnalyzedLayer>();
  // The analyzer's rule: a repeated name maps to its first layer.
  for (const layer of layers) if (!byName.has(layer.name)) byName.set(layer.name, layer);
  return {
    ...serialized,
    spec,
    layers,
    byName,
    totalParams: BigInt(serialized.totalParams),
    totalMacs: BigInt(serialized.totalMacs),
    totalActivationBytes: BigInt(serialized.totalActivationBytes),
  };
}

// ---------------------------------------------------------------------------------------------
// Validation, field by field (src/core/analysis-types.ts, src/core/geometry.ts)

const bigintText: Validator<BigintText> = (v, path) => {
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw new MessageError(path, 'an integer as decimal digits', v);
  return v;
};

const shape: Validator<Shape> = array(count);

const windowAxis = object<WindowAxis>({
  input: number,
  kernel: number,
  stride: number,
  dilation: number,
  effectiveKernel: number,
  padBefore: number,
  padAfter: number,
  paddingMode: literal('explicit', 'same', 'valid'),
  ceilMode: boolean,
  numerator: number,
  output: number,
  exactOutput: number,
  exact: boolean,
  ceilAdjusted: boolean,
  trailingUnread: number,
  totalUnread: number,
  kernelTooLarge: boolean,
});

const transposedAxis = object<TransposedAxis>({
  input: number,
  kernel: number,
  stride: number,
  padding: number,
  dilation: number,
  outputPadding: number,
  output: number,
});

const pairOfNumbers: Validator<[number, number]> = (v, path) => {
  const values = array(number)(v, path);
  if (values.length !== 2) throw new MessageError(path, 'a pair of numbers', v);
  return [values[0]!, values[1]!];
};

const receptiveField = object<ReceptiveField>({ size: pairOfNumbers, jump: pairOfNumbers, start: pairOfNumbers });

const fact = object<LayerFact>({ label: string, value: string });

const attrs: Validator<Record<string, unknown>> = (v, path) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new MessageError(path, 'an object', v);
  return plainData(v, path) as Record<string, unknown>;
};

/** An input's slice, or none: undefined in the host, null after a trip through JSON. */
const sliceFields = object<InputSlice>({ part: count, dim: count, start: count, size: count });
const inputSlice: Validator<InputSlice | undefined> = (v, path) => (v === null || v === undefined ? undefined : sliceFields(v, path));

const layer = object<SerializedLayer>({
  specIndex: count,
  index: count,
  name: string,
  kind: string,
  inputs: array(string),
  inputShapes: array(nullable(shape)),
  inputSlices: optional(array(inputSlice)),
  outputParts: optional(object<{ dim: number; sizes: number[] }>({ dim: count, sizes: array(count) })),
  outputShape: nullable(shape),
  params: bigintText,
  macs: bigintText,
  attrs,
  geometry: optional(object<WindowGeometry>({ h: windowAxis, w: windowAxis })),
  transposed: optional(object<{ h: TransposedAxis; w: TransposedAxis }>({ h: transposedAxis, w: transposedAxis })),
  receptiveField: nullable(receptiveField),
  activationBytes: bigintText,
  im2col: optional(object<NonNullable<SerializedLayer['im2col']>>({ rows: bigintText, cols: count, groups: count, bytes: bigintText })),
  facts: array(fact),
});

/** Validates a serialized analysis; `spec` is the model spec's validator (preview-messages.ts). */
export function analysisValidator(spec: Validator<SerializedModelSpec>): Validator<SerializedAnalysis> {
  const validate = object<SerializedAnalysis>({
    spec,
    name: optional(string),
    framework: literal('pytorch', 'tfjs'),
    layout: literal('NCHW', 'NHWC'),
    input: nullable(shape),
    layers: array(layer),
    outputShape: nullable(shape),
    totalParams: bigintText,
    totalMacs: bigintText,
    totalActivationBytes: bigintText,
  });
  return (v, path) => {
    const analysis = validate(v, path);
    analysis.layers.forEach((l, i) => {
      if (l.specIndex >= analysis.spec.layers.length)
        throw new MessageError(`${path}.layers[${i}].specIndex`, `an index below ${analysis.spec.layers.length}`, l.specIndex);
    });
    return analysis;
  };
}
