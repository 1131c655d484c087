// The saliency walk (engine backward kernels in reverse over the analysis) against central
// finite differences of the forward run, on models with every kind the walk goes through.

import { strict as assert } from 'node:assert';
import { analyzeYaml, type ModelAnalysis } from '../../src/core';
import { resolveWeights, runModel, type Tensor } from '../../src/core';
import { computeSaliency, hasBackward, seedGradient, type SaliencyTarget } from '../../webview/preview/worker/saliency';

function analyze(text: string): ModelAnalysis {
  const result = analyzeYaml(text);
  assert.ok(result.model && !result.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(result.diagnostics));
  return result.model;
}

function input(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(1.7 * i) * 0.8 + Math.cos(0.3 * i) * 0.2);
}

/** L(x) for the target, from a forward run: the unit's value (or its channel's sum) in batch item 0. */
function unitValue(model: ModelAnalysis, x: Float32Array, target: SaliencyTarget): number {
  const out = runModel(model, x, { kind: 'random', seed: 3 }, { keep: [target.layer] }).outputs.get(target.layer)!;
  const seed = seedGradient(out.shape, target);
  let sum = 0;
  for (let i = 0; i < seed.data.length; i++) sum += seed.data[i]! * out.data[i]!;
  return sum;
}

function check(text: string, target: SaliencyTarget, tolerance = 2e-3): void {
  const model = analyze(text);
  const size = model.input!.reduce((a, b) => a * b, 1);
  const x = input(size);
  const run = runModel(model, x, { kind: 'random', seed: 3 }, { keep: 'all' });
  const values = new Map<string, Tensor>(run.outputs);
  values.set('input', { shape: model.input!, data: x });
  const params = resolveWeights(model.layers, { kind: 'random', seed: 3 }).byLayer;
  const result = computeSaliency(model, values, params, target);
  assert.ok(Math.abs(result.value - unitValue(model, x, target)) < 1e-4, 'L is the unit value');
  const itemSize = size / model.input![0]!;
  assert.equal(result.magnitude.length, itemSize);
  let checked = 0;
  const base = unitValue(model, x, target);
  for (let i = 0; i < itemSize; i += Math.max(1, Math.floor(itemSize / 40))) {
    // Max-pool makes L piecewise linear: near a kink (a window's maximum changing hands within
    // ±eps) the central difference averages two slopes, but the one-sided difference on the side
    // without the kink is the exact slope at x. Accept the gradient if any of the three agrees.
    const eps = 1e-2;
    const plus = Float32Array.from(x);
    const minus = Float32Array.from(x);
    plus[i] = plus[i]! + eps;
    minus[i] = minus[i]! - eps;
    const up = unitValue(model, plus, target),
      down = unitValue(model, minus, target);
    const slopes = [(up - down) / (2 * eps), (up - base) / eps, (base - down) / eps];
    const ok = slopes.some((slope) => Math.abs(result.magnitude[i]! - Math.abs(slope)) < tolerance * Math.max(1, Math.abs(slope)));
    assert.ok(ok, `x[${i}]: |∂L/∂x| ${result.magnitude[i]} vs finite differences ${slopes.join(', ')}`);
    checked++;
  }
  assert.ok(checked > 10);
  assert.ok(result.max > 0);
}

describe('preview saliency', () => {
  it('matches finite differences through conv, batchnorm, max-pool, add and a linear head', () => {
    const text = `input: [2, 2, 8, 8]
layers:
  - name: c1
    conv2d: {out_channels: 3, kernel_size: 3, padding: 1}
  - name: bn
    batchnorm2d: {}
  - name: pool
    maxpool2d: {kernel_size: 2}
  - name: c2
    conv2d: {out_channels: 3, kernel_size: 3, padding: 1}
  - name: sum
    add: {}
    from: [c2, pool]
  - name: gap
    adaptive_avgpool2d: {output_size: 1}
  - flatten: {}
  - name: fc
    linear: {out_features: 4}
`;
    check(text, { layer: 'c2', channel: 1 });
    check(text, { layer: 'c2', channel: 2, pixel: [1, 3] });
    check(text, { layer: 'sum', channel: 0 });
    check(text, { layer: 'fc', channel: 2 });
  });

  it('matches finite differences through concat, avg-pool and a strided, dilated conv', () => {
    const text = `input: [1, 3, 9, 9]
layers:
  - name: a
    conv2d: {out_channels: 2, kernel_size: 3, stride: 2, dilation: 2, padding: 2}
  - name: b
    avgpool2d: {kernel_size: 2, stride: 2, padding: 1}
    from: input
  - name: b2
    conv2d: {out_channels: 2, kernel_size: 1}
  - name: cat
    concat: {dim: 1}
    from: [a, b2]
  - name: s
    sigmoid: {}
`;
    check(text, { layer: 'cat', channel: 3 });
    check(text, { layer: 's', channel: 0, pixel: [2, 2] });
  });

  it('only seeds batch item 0, and is zero for inputs outside the receptive field', () => {
    const text = 'input: [1, 1, 6, 6]\nlayers:\n  - name: c\n    conv2d: {out_channels: 1, kernel_size: 3}\n';
    const model = analyze(text);
    const x = input(36);
    const run = runModel(model, x, { kind: 'random', seed: 0 }, { keep: 'all' });
    const values = new Map<string, Tensor>(run.outputs);
    values.set('input', { shape: [1, 1, 6, 6], data: x });
    const params = resolveWeights(model.layers, { kind: 'random', seed: 0 }).byLayer;
    const result = computeSaliency(model, values, params, { layer: 'c', channel: 0, pixel: [0, 0] });
    for (let r = 0; r < 6; r++) for (let c = 0; c < 6; c++) assert.equal(result.magnitude[r * 6 + c]! > 0, r < 3 && c < 3, `(${r}, ${c})`);
  });

  it('names a unit that does not exist and a kind without a backward pass', () => {
    assert.throws(() => seedGradient([1, 4, 2, 2], { layer: 'c', channel: 4 }), /c has 4 channels; there is no channel 4/);
    assert.throws(
      () => seedGradient([1, 4, 2, 2], { layer: 'c', channel: 0, pixel: [2, 0] }),
      /pixel \(2, 0\) lies outside c's 2 × 2 plane/,
    );
    assert.throws(() => seedGradient([1, 10], { layer: 'fc', channel: 10 }), /fc has 10 features; there is no feature 10/);
    const text = 'input: [1, 1, 4, 4]\nlayers:\n  - name: up\n    upsample: {scale_factor: 2}\n';
    const model = analyze(text);
    assert.equal(hasBackward('upsample'), false);
    const x = input(16);
    const run = runModel(model, x, { kind: 'random', seed: 0 }, { keep: 'all' });
    const values = new Map<string, Tensor>(run.outputs);
    values.set('input', { shape: [1, 1, 4, 4], data: x });
    assert.throws(
      () => computeSaliency(model, values, new Map(), { layer: 'up', channel: 0 }),
      /no backward pass for upsample \(layer up\)/,
    );
  });
});
