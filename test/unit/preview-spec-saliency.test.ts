// The preview's saliency on a TensorFlow.js model parsed from TypeScript: the backward walk must
// undo TensorFlow's channels-last flatten (the engine holds NCHW), so |dL/dx| agrees with central
// differences of the forward run; a dense layer over the channels of a 4-D tensor has no backward
// in the engine yet, so the gradient view is not offered from it.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { ModelAnalysis } from '../../src/core';
import { tensor, type Tensor } from '../../src/core';
import { runModel } from '../../src/core/run/runner';
import { resolveWeights } from '../../src/core/run/weights';
import { analyzeSource } from '../../src/core';
import { computeSaliency, saliencyLayers } from '../../webview/preview/worker/saliency';

const ROOT = path.join(__dirname, '../../..');

function tfModel(fileName: string, text: string): ModelAnalysis {
  const result = analyzeSource(fileName, text, () => ts);
  assert.ok(result.model);
  assert.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  return result.model;
}

describe('preview spec: saliency on TensorFlow.js models', () => {
  it('mnist-tfjs: |dL/dx| through the channels-last flatten matches central differences', () => {
    const model = tfModel('mnist-tfjs.ts', fs.readFileSync(path.join(ROOT, 'examples/mnist-tfjs.ts'), 'utf8'));
    assert.ok(saliencyLayers(model).has('dense_Dense1'));
    const params = resolveWeights(model.layers, { kind: 'random', seed: 3 }).byLayer;
    const tensors = new Map<string, Tensor>();
    for (const [layer, p] of params) for (const [suffix, t] of Object.entries(p)) tensors.set(`${layer}.${suffix}`, t);
    const run = (x: Float32Array): Map<string, Tensor> =>
      new Map(runModel(model, x, { kind: 'tensors', tensors, label: 'random' }, { keep: 'all' }).outputs);
    const x = Float32Array.from({ length: 28 * 28 }, (_, i) => 0.5 + 0.5 * Math.sin(0.37 * i));
    const values = run(x);
    values.set('input', tensor([1, 1, 28, 28], x));
    const unit = 3;
    const saliency = computeSaliency(model, values, params, { layer: 'dense_Dense1', channel: unit });
    const logit = (input: Float32Array): number => run(input).get('dense_Dense1')!.data[unit]!;
    let error = 0;
    let size = 0;
    const step = 2e-3;
    for (let i = 0; i < x.length; i += 7) {
      const plus = x.slice(),
        minus = x.slice();
      plus[i] = plus[i]! + step;
      minus[i] = minus[i]! - step;
      const numeric = Math.abs((logit(plus) - logit(minus)) / (2 * step));
      error += Math.abs(numeric - saliency.magnitude[i]!);
      size += numeric;
    }
    // About 1.4% here (kinks of ReLU and max pooling inside the finite difference); a PyTorch-order
    // flatten backward is off by about 73% of the gradient's size.
    assert.ok(error / size < 0.05, `relative error ${(error / size).toFixed(4)}`);
  });

  it('offers no gradient from or after a dense layer over the channels of a 4-D tensor', () => {
    const text = [
      "import * as tf from '@tensorflow/tfjs';",
      'const model = tf.sequential();',
      'model.add(tf.layers.conv2d({ inputShape: [8, 8, 1], kernelSize: 3, filters: 4 }));',
      'model.add(tf.layers.dense({ units: 2 }));',
      'model.add(tf.layers.flatten());',
      '',
    ].join('\n');
    const model = tfModel('m.ts', text);
    const [conv, dense, flatten] = model.layers.map((l) => l.name);
    const ok = saliencyLayers(model);
    assert.ok(ok.has(conv!));
    assert.ok(!ok.has(dense!) && !ok.has(flatten!));
  });
});
