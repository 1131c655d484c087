// The preview worker's run steps: the weights it resolves once are the very tensors the engine
// runs (no second resolution by state_dict name), and the memory budget is checked in one place,
// with every figure worked out by hand for LeNet-5.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeYaml, type ModelAnalysis } from '../../src/core';
import { resolveWeights, runModel, type EngineBackend } from '../../src/core';
import { loadWasmGemm } from '../../src/core/engine/wasm/index';
import { RandomWeightsCache } from '../../webview/preview/worker/random-weights';
import { checkMemory, failureOf, RunRefused } from '../../webview/preview/worker/steps';

function analyzed(text: string): ModelAnalysis {
  const model = analyzeYaml(text).model;
  assert.ok(model);
  return model;
}

const MODEL = `input: [1, 3, 8, 8]
layers:
  - name: conv
    conv2d: {out_channels: 4, kernel_size: 3}
  - name: bn
    batchnorm2d: {}
  - flatten: {}
  - name: fc
    linear: {out_features: 5}
`;

describe('preview worker: weights resolved once', () => {
  const backends: EngineBackend[] = loadWasmGemm() === undefined ? ['ts'] : ['ts', 'wasm'];
  for (const backend of backends) {
    it(`${backend}: the run reads the resolved tensors themselves`, () => {
      const model = analyzed(MODEL);
      const byLayer = new RandomWeightsCache().resolve(model.layers, 5);
      const conv = byLayer.get('conv')!;
      // Changed after resolution: a run that drew or looked up its weights again would not see it.
      conv['weight']!.data.fill(0);
      const bias = conv['bias']!.data;
      const input = Float32Array.from({ length: 3 * 8 * 8 }, (_, i) => Math.cos(i));
      const result = runModel(
        model,
        input,
        { kind: 'resolved', weights: { byLayer, description: 'random weights (seed 5)', unused: ['extra.weight'] } },
        { backend, keep: ['conv'] },
      );
      const out = result.outputs.get('conv')!;
      assert.deepEqual(out.shape, [1, 4, 6, 6]);
      // Zero weights: every output position is the channel's bias.
      for (let c = 0; c < 4; c++) for (let i = 0; i < 36; i++) assert.equal(out.data[c * 36 + i], bias[c], `channel ${c}, position ${i}`);
      assert.equal(result.weights, 'random weights (seed 5)');
      assert.deepEqual(result.unusedTensors, ['extra.weight']);
    });
  }

  it('a weights file resolves to its own tensors, and names the ones no layer uses', () => {
    const model = analyzed(MODEL);
    const random = resolveWeights(model.layers, { kind: 'random', seed: 1 }).byLayer;
    const tensors = new Map(
      [...random].flatMap(([layer, params]) => Object.entries(params).map(([name, t]) => [`${layer}.${name}`, t] as const)),
    );
    tensors.set('head.weight', { shape: [1], data: new Float32Array(1) });
    const resolved = resolveWeights(model.layers, { kind: 'tensors', tensors, label: 'm.safetensors' });
    assert.equal(resolved.byLayer.get('conv')!['weight'], tensors.get('conv.weight'));
    assert.deepEqual(resolved.unused, ['head.weight']);
  });
});

describe('preview worker: the memory budget', () => {
  const lenet = analyzed(fs.readFileSync(path.join(__dirname, '../../../examples/lenet5.cnn.yaml'), 'utf8'));
  // Every output kept, in bytes of float32: input 784·4 = 3,136; conv1 and its relu 4,704·4 = 18,816
  // each; pool1 4,704; conv2 and relu 6,400 each; pool2 and flatten 1,600 each; fc1 and relu 480
  // each; fc2 and relu 336 each; fc3 40: 63,144 B = 61.66 KiB, the peak at the last layer.
  // Parameters: 61,706 · 4 = 246,824 B = 241.04 KiB.

  function refusal(weights: 'random' | 'file', budget: number, wasm: boolean): string {
    try {
      checkMemory(lenet, weights, budget, wasm);
    } catch (error) {
      assert.ok(error instanceof RunRefused);
      assert.deepEqual(failureOf(error), ['memory', error.message]);
      return error.message;
    }
    return 'runs';
  }

  it('refuses activations over the budget, quoting the peak', () => {
    assert.equal(
      refusal('random', 60_000, false),
      'running this model needs about 61.66 KiB of activations (peak at layer fc3), over the 58.59 KiB budget; lower the batch size or input size, or raise the budget (setting convlens.preview.memoryBudgetMB)',
    );
  });

  it('refuses parameters over the budget, counted twice for a weights file the WebAssembly kernels pack', () => {
    assert.equal(
      refusal('random', 200_000, true),
      "the model's 61,706 parameters need 241.04 KiB as float32, over the 195.31 KiB budget (setting convlens.preview.memoryBudgetMB)",
    );
    assert.equal(
      refusal('file', 300_000, true),
      "the model's 61,706 parameters need 482.08 KiB as float32 (twice: as read from the file and packed for the WebAssembly kernels), over the 292.97 KiB budget (setting convlens.preview.memoryBudgetMB)",
    );
  });

  it('refuses activations and parameters that fit apart but not together (63,144 + 246,824 = 309,968 B)', () => {
    assert.equal(
      refusal('random', 300_000, true),
      'the run needs about 61.66 KiB of activations and 241.04 KiB of parameters, 302.70 KiB together, over the 292.97 KiB budget (setting convlens.preview.memoryBudgetMB)',
    );
    assert.equal(refusal('file', 309_968, false), 'runs');
    assert.match(refusal('file', 309_967, false), /302\.70 KiB together/);
  });
});
