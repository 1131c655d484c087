// What kernels read from the analysis besides their typed attributes (geometry, shapes, inputs,
// parameter tensors); anything missing is reported with the layer's name rather than computed
// with NaN.

import type { AnalyzedLayer } from '../analyze/analysis-types';

type Layer = Pick<AnalyzedLayer, 'name' | 'kind'>;
import type { WindowGeometry } from '../geometry';
import { EngineError, formatShape, type Tensor } from '../engine/tensor';

export function geometryOf(layer: Layer & Pick<AnalyzedLayer, 'geometry'>): WindowGeometry {
  if (layer.geometry === undefined)
    throw new EngineError(`${layer.name}: the analysis has no window geometry for this ${layer.kind} layer`);
  return layer.geometry;
}

export function outputShapeOf(layer: Layer & Pick<AnalyzedLayer, 'outputShape'>): number[] {
  if (layer.outputShape === null) throw new EngineError(`${layer.name}: the analysis found no output shape (see its diagnostics)`);
  return layer.outputShape;
}

export function inputShapeOf(layer: Layer & Pick<AnalyzedLayer, 'inputShapes'>, i = 0): number[] {
  const shape = layer.inputShapes[i];
  if (shape === undefined || shape === null) throw new EngineError(`${layer.name}: the analysis found no shape for input ${i + 1}`);
  return shape;
}

export function onlyInput(layer: Layer, inputs: readonly Tensor[]): Tensor {
  const x = inputs[0];
  if (x === undefined || inputs.length !== 1) throw new EngineError(`${layer.name}: ${layer.kind} takes one input, got ${inputs.length}`);
  return x;
}

export function param(layer: Layer, params: Readonly<Record<string, Tensor>>, name: string): Tensor {
  const t = params[name];
  if (t === undefined) throw new EngineError(`${layer.name}.${name}: parameter missing`);
  return t;
}

export function checkShape(who: string, t: Tensor, expected: readonly number[]): void {
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new EngineError(`${who}: shape ${formatShape(t.shape)}, expected ${formatShape(expected)}`);
  }
}
