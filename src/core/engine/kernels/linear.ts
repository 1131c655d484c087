// torch.nn.Linear on the last dimension: y = x · Wᵀ + b, W: [out_features, in_features].

import type { Gemm } from '../gemm';
import { EngineError, formatShape, tensor, transpose, type Tensor } from '../tensor';
import { boolAttr, inputShapeOf, onlyInput, outputShapeOf, param } from './attrs';
import type { LayerKernel, ParamSpec } from './types';

function rowsOf(x: Tensor, inFeatures: number): number {
  const last = x.shape[x.shape.length - 1];
  if (last !== inFeatures) throw new EngineError(`linear: input ${formatShape(x.shape)} does not end in ${inFeatures} features`);
  return x.data.length / inFeatures;
}

export function linearForward(x: Tensor, weight: Tensor, bias: Tensor | undefined, gemm: Gemm): Tensor {
  const [outF = 0, inF = 0] = weight.shape;
  const rows = rowsOf(x, inF);
  const y = tensor([...x.shape.slice(0, -1), outF]);
  gemm(rows, outF, inF, x.data, inF, transpose(weight.data, outF, inF), outF, y.data, outF, false);
  if (bias !== undefined) {
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < outF; j++) y.data[r * outF + j] = y.data[r * outF + j]! + bias.data[j]!;
    }
  }
  return y;
}

export function linearBackward(x: Tensor, weight: Tensor, dy: Tensor, gemm: Gemm): { dx: Tensor; dWeight: Tensor; dBias: Tensor } {
  const [outF = 0, inF = 0] = weight.shape;
  const rows = rowsOf(x, inF);
  const dx = tensor(x.shape);
  // dx (rows × in) = dy (rows × out) · W (out × in)
  gemm(rows, inF, outF, dy.data, outF, weight.data, inF, dx.data, inF, false);
  // dW (out × in) = dyᵀ (out × rows) · x (rows × in)
  const dWeight = tensor(weight.shape);
  gemm(outF, inF, rows, transpose(dy.data, rows, outF), rows, x.data, inF, dWeight.data, inF, false);
  const dBias = tensor([outF]);
  for (let j = 0; j < outF; j++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += dy.data[r * outF + j]!;
    dBias.data[j] = sum;
  }
  return { dx, dWeight, dBias };
}

export const linearKernel: LayerKernel = {
  params(layer): ParamSpec[] {
    const inShape = inputShapeOf(layer), outShape = outputShapeOf(layer);
    const inF = inShape[inShape.length - 1] ?? 0, outF = outShape[outShape.length - 1] ?? 0;
    const bound = inF > 0 ? 1 / Math.sqrt(inF) : 0;
    const specs: ParamSpec[] = [{ name: 'weight', shape: [outF, inF], init: { kind: 'uniform', bound } }];
    if (boolAttr(layer, 'bias', true)) specs.push({ name: 'bias', shape: [outF], init: { kind: 'uniform', bound } });
    return specs;
  },
  forward(layer, inputs, params, ctx) {
    const bias = boolAttr(layer, 'bias', true) ? param(layer, params, 'bias') : undefined;
    return { output: linearForward(onlyInput(layer, inputs), param(layer, params, 'weight'), bias, ctx.gemm) };
  },
  backward(layer, inputs, params, _forward, dy, ctx) {
    const g = linearBackward(onlyInput(layer, inputs), param(layer, params, 'weight'), dy, ctx.gemm);
    const out: Record<string, Tensor> = { weight: g.dWeight };
    if (boolAttr(layer, 'bias', true)) out.bias = g.dBias;
    return { inputs: [g.dx], params: out };
  },
};
