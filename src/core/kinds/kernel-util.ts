// Reading a layer's validated attributes (the analyzer already applied defaults and checked
// types); anything unexpected is reported with the layer's name rather than computed with NaN.

import type { AnalyzedLayer } from '../analyze/analysis-types';
import type { WindowGeometry } from '../geometry';
import { EngineError, formatShape, type Tensor } from '../engine/tensor';

export function numberAttr(layer: AnalyzedLayer, key: string, fallback?: number): number {
  const value = layer.attrs[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value === undefined && fallback !== undefined) return fallback;
  throw new EngineError(`${layer.name}: attribute ${key} should be a number, got ${JSON.stringify(value)}`);
}

export function intAttr(layer: AnalyzedLayer, key: string, fallback?: number): number {
  const value = numberAttr(layer, key, fallback);
  if (!Number.isInteger(value)) throw new EngineError(`${layer.name}: attribute ${key} should be an integer, got ${value}`);
  return value;
}

export function boolAttr(layer: AnalyzedLayer, key: string, fallback: boolean): boolean {
  const value = layer.attrs[key];
  if (typeof value === 'boolean') return value;
  if (value === undefined) return fallback;
  throw new EngineError(`${layer.name}: attribute ${key} should be true or false, got ${JSON.stringify(value)}`);
}

export function stringAttr(layer: AnalyzedLayer, key: string, fallback: string): string {
  const value = layer.attrs[key];
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return fallback;
  throw new EngineError(`${layer.name}: attribute ${key} should be a string, got ${JSON.stringify(value)}`);
}

/** A number or an [h, w] pair, as [h, w]; undefined when absent or null. */
export function optionalPairAttr(layer: AnalyzedLayer, key: string): [number, number] | undefined {
  const value = layer.attrs[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    return [value[0] as number, value[1] as number];
  }
  throw new EngineError(`${layer.name}: attribute ${key} should be a number or a pair, got ${JSON.stringify(value)}`);
}

export function geometryOf(layer: AnalyzedLayer): WindowGeometry {
  if (layer.geometry === undefined) throw new EngineError(`${layer.name}: the analysis has no window geometry for this ${layer.kind} layer`);
  return layer.geometry;
}

export function outputShapeOf(layer: AnalyzedLayer): number[] {
  if (layer.outputShape === null) throw new EngineError(`${layer.name}: the analysis found no output shape (see its diagnostics)`);
  return layer.outputShape;
}

export function inputShapeOf(layer: AnalyzedLayer, i = 0): number[] {
  const shape = layer.inputShapes[i];
  if (shape === undefined || shape === null) throw new EngineError(`${layer.name}: the analysis found no shape for input ${i + 1}`);
  return shape;
}

export function onlyInput(layer: AnalyzedLayer, inputs: readonly Tensor[]): Tensor {
  const x = inputs[0];
  if (x === undefined || inputs.length !== 1) throw new EngineError(`${layer.name}: ${layer.kind} takes one input, got ${inputs.length}`);
  return x;
}

export function param(layer: AnalyzedLayer, params: Readonly<Record<string, Tensor>>, name: string): Tensor {
  const t = params[name];
  if (t === undefined) throw new EngineError(`${layer.name}.${name}: parameter missing`);
  return t;
}

export function checkShape(who: string, t: Tensor, expected: readonly number[]): void {
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new EngineError(`${who}: shape ${formatShape(t.shape)}, expected ${formatShape(expected)}`);
  }
}
