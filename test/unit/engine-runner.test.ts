import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { estimateActivationMemory } from '../../src/core/run/memory';
import { parseNpy } from '../../src/core/run/npy';
import { RunCancelledError, runModel, runModelAsync } from '../../src/core/run/runner';
import { parseSafetensors } from '../../src/core/run/safetensors';
import type { Tensor } from '../../src/core/engine/tensor';
import type { WeightSource } from '../../src/core/run/weights';
import { analyzeYaml } from '../../src/core/index';
import { analyzeOrFail, assertClose, decodeArray, FIXTURES, type FixtureArray } from './engine-support.test';

interface Expected {
  final: string;
  intermediate: string;
  outputs: Record<string, FixtureArray>;
}

function loadModel(name: string) {
  const analysis = analyzeOrFail(readFileSync(path.join(FIXTURES, `${name}.cnn.yaml`), 'utf8'));
  const tensors = parseSafetensors(readFileSync(path.join(FIXTURES, `${name}.safetensors`))).tensors;
  const input = parseNpy(readFileSync(path.join(FIXTURES, `${name}.input.npy`)));
  const expected = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.expected.json`), 'utf8')) as Expected;
  const weights: WeightSource = { kind: 'tensors', tensors, label: `${name}.safetensors` };
  return { analysis, tensors, input, expected, weights };
}

describe('engine runner: whole models against PyTorch', () => {
  for (const name of ['resnet_small', 'mixed_dtypes']) {
    it(`${name}: final output and an intermediate layer within 1e-4 of the range`, () => {
      const { analysis, input, expected, weights } = loadModel(name);
      const result = runModel(analysis, input.data, weights, { keep: [expected.intermediate, expected.final] });
      assert.deepEqual([...result.outputs.keys()].sort(), [expected.intermediate, expected.final].sort());
      for (const layer of [expected.final, expected.intermediate]) {
        assertClose(result.outputs.get(layer)!, decodeArray(expected.outputs[layer]!), 1e-4, `${name} ${layer}`);
      }
      assert.equal(result.weights, `weights from ${name}.safetensors`);
      assert.deepEqual(result.unusedTensors, []);
    });
  }

  it('keeps every output by default, reports each layer in order, and the async runner agrees', async () => {
    const { analysis, input, weights } = loadModel('resnet_small');
    const seen: string[] = [];
    const all = runModel(analysis, input.data, weights, {
      onLayer: (i, name, ms) => {
        assert.equal(analysis.layers[i]!.name, name);
        assert.ok(ms >= 0);
        seen.push(name);
      },
    });
    assert.deepEqual(
      seen,
      analysis.layers.map((l) => l.name),
    );
    assert.deepEqual(
      [...all.outputs.keys()],
      analysis.layers.map((l) => l.name),
    );
    assert.equal(all.timings.length, analysis.layers.length);
    const later = await runModelAsync(analysis, input.data, weights, { keep: ['fc'] });
    assert.deepEqual(
      [...later.outputs.get('fc')!.data],
      [...runModel(analysis, input.data, weights, { keep: ['fc'] }).outputs.get('fc')!.data],
    );
    // Keeping only fc lets the WebAssembly backend fuse conv → bn → relu: equal to rounding.
    assertClose(later.outputs.get('fc')!, all.outputs.get('fc')!, 1e-5, 'fc, fused vs not');
  });

  it('stops when cancelled', async () => {
    const { analysis, input, weights } = loadModel('resnet_small');
    let calls = 0;
    assert.throws(
      () => runModel(analysis, input.data, weights, { isCancelled: () => ++calls > 3 }),
      (e: unknown) => e instanceof RunCancelledError && /before layer pool/.test(e.message),
    );
    await assert.rejects(runModelAsync(analysis, input.data, weights, { isCancelled: () => true }), RunCancelledError);
    // The async runner yields before its first layer: a cancel already queued as a task is seen.
    let cancelled = false;
    setImmediate(() => (cancelled = true));
    await assert.rejects(
      runModelAsync(analysis, input.data, weights, { isCancelled: () => cancelled }),
      (e: unknown) => e instanceof RunCancelledError && new RegExp(`before layer ${analysis.layers[0]!.name}\\b`).test(e.message),
    );
  });
});

describe('engine runner: weights', () => {
  it('names the missing tensor and the expected shape', () => {
    const { analysis, input, tensors } = loadModel('resnet_small');
    const partial = new Map(tensors);
    partial.delete('fc.weight');
    assert.throws(
      () => runModel(analysis, input.data, { kind: 'tensors', tensors: partial, label: 'w.safetensors' }),
      /fc\.weight: missing from w\.safetensors \(the model needs shape \[10, 32\]\)/,
    );
  });

  it('names a tensor of the wrong shape with both shapes, and lists every problem', () => {
    const { analysis, input, tensors } = loadModel('resnet_small');
    const wrong = new Map<string, Tensor>(tensors);
    wrong.set('fc.bias', { shape: [11], data: new Float32Array(11) });
    wrong.set('stem.weight', { shape: [16, 3, 5, 5], data: new Float32Array(16 * 75) });
    assert.throws(
      () => runModel(analysis, input.data, { kind: 'tensors', tensors: wrong, label: 'w.safetensors' }),
      (e: Error) => {
        assert.match(e.message, /2 problems/);
        assert.match(e.message, /stem\.weight: shape \[16, 3, 5, 5\] in w\.safetensors, but the model needs \[16, 3, 3, 3\]/);
        assert.match(e.message, /fc\.bias: shape \[11\] in w\.safetensors, but the model needs \[10\]/);
        return true;
      },
    );
  });

  it('reports tensors no layer uses, but not num_batches_tracked', () => {
    const { analysis, input, tensors } = loadModel('resnet_small');
    const extra = new Map<string, Tensor>(tensors);
    extra.set('head.weight', { shape: [1], data: new Float32Array(1) });
    const result = runModel(analysis, input.data, { kind: 'tensors', tensors: extra }, { keep: ['fc'] });
    assert.deepEqual(result.unusedTensors, ['head.weight']);
  });

  it('without weights: PyTorch-default init from a seed, deterministic, and says so', () => {
    const { analysis, input } = loadModel('resnet_small');
    const a = runModel(analysis, input.data, { kind: 'random', seed: 7 }, { keep: ['fc'] });
    const b = runModel(analysis, input.data, { kind: 'random', seed: 7 }, { keep: ['fc'] });
    const c = runModel(analysis, input.data, { kind: 'random', seed: 8 }, { keep: ['fc'] });
    assert.equal(a.weights, 'random weights (seed 7)');
    assert.deepEqual([...a.outputs.get('fc')!.data], [...b.outputs.get('fc')!.data]);
    assert.notDeepEqual([...a.outputs.get('fc')!.data], [...c.outputs.get('fc')!.data]);
  });

  it('random init: U(±1/√fan_in) for conv and linear, constants for batchnorm', async () => {
    const { resolveWeights } = await import('../../src/core/run/weights');
    const { analysis } = loadModel('resnet_small');
    const resolved = resolveWeights(analysis.layers, { kind: 'random', seed: 0 });
    const check = (layer: string, param: string, fanIn: number) => {
      const t = resolved.byLayer.get(layer)![param]!;
      const bound = 1 / Math.sqrt(fanIn);
      let max = 0,
        sumSq = 0;
      for (const v of t.data) {
        max = Math.max(max, Math.abs(v));
        sumSq += v * v;
      }
      assert.ok(max <= bound, `${layer}.${param} within ±${bound}`);
      // The variance of U(−b, b) is b²/3.
      assert.ok(Math.abs(sumSq / t.data.length / ((bound * bound) / 3) - 1) < 0.1, `${layer}.${param} variance`);
    };
    check('b2_conv2', 'weight', 32 * 9);
    check('b1_conv1', 'weight', 16 * 9);
    check('fc', 'weight', 32);
    const bn = resolved.byLayer.get('stem_bn')!;
    assert.ok(bn.weight!.data.every((v) => v === 1) && bn.bias!.data.every((v) => v === 0));
    assert.ok(bn.running_mean!.data.every((v) => v === 0) && bn.running_var!.data.every((v) => v === 1));
    const conv = resolveWeights(
      analyzeOrFail('input: [1, 4, 5, 5]\nlayers:\n  - conv_transpose2d: {out_channels: 6, kernel_size: 3, groups: 2}\n').layers,
      { kind: 'random', seed: 0 },
    );
    // PyTorch's fan_in for a transposed conv comes from weight dim 1: Cout/groups · K · K = 27.
    const tw = conv.byLayer.get('conv_transpose2d_1')!.weight!;
    assert.deepEqual(tw.shape, [4, 3, 3, 3]);
    assert.ok(tw.data.every((v) => Math.abs(v) <= 1 / Math.sqrt(27)));
  });
});

describe('engine runner: refusals', () => {
  it('estimates peak activation memory from the analysis, freeing outputs after their last use', () => {
    const analysis = analyzeOrFail('input: [1, 1, 4, 4]\nlayers:\n  - relu: {}\n  - relu: {}\n  - relu: {}\n');
    const bytes = 16 * 4;
    assert.equal(estimateActivationMemory(analysis, ['relu_3']).peakBytes, 2 * bytes);
    assert.equal(estimateActivationMemory(analysis, 'all').peakBytes, 4 * bytes);
  });

  it('refuses a run over the memory budget, quoting the figure', () => {
    // 512 MiB per tensor: input, conv and relu all kept is 1.5 GiB; keeping only the last, 1 GiB fits.
    const analysis = analyzeOrFail(
      'input: [8, 64, 512, 512]\nlayers:\n  - conv2d: {out_channels: 64, kernel_size: 3, padding: 1}\n  - relu: {}\n',
    );
    assert.equal(estimateActivationMemory(analysis, ['relu_2']).peakBytes, 2 ** 30);
    // Refused before the input is even looked at (no 512 MiB test input needed).
    assert.throws(
      () => runModel(analysis, new Float32Array(1), { kind: 'random', seed: 0 }),
      /needs about 1\.50 GiB of activations \(peak at layer relu_2\), over the 1\.00 GiB budget/,
    );
    const { analysis: small, input, weights } = loadModel('resnet_small');
    assert.throws(() => runModel(small, input.data, weights, { memoryBudgetBytes: 1000 }), /KiB of activations .* over the 1000 B budget/);
  });

  it('refuses a model with analysis errors, an input of the wrong size, an unknown kept layer, and a wasm backend it cannot load', () => {
    const broken = analyzeYaml('input: [1, 3, 4, 4]\nlayers:\n  - conv2d: {out_channels: 2, kernel_size: 7}\n').model!;
    assert.throws(
      () => runModel(broken, new Float32Array(48), { kind: 'random', seed: 0 }),
      /analysis found errors \(first at layer conv2d_1\)/,
    );
    const { analysis, input, weights } = loadModel('resnet_small');
    assert.throws(
      () => runModel(analysis, new Float32Array(5), weights),
      /input has 5 values but the model input \[2, 3, 32, 32\] needs 6144/,
    );
    assert.throws(() => runModel(analysis, input.data, weights, { keep: ['nope'] }), /no layer named nope/);
    // Checked before the first layer runs, not when the run reaches the layer.
    const bicubic = analyzeOrFail(
      'input: [1, 1, 4, 4]\nlayers:\n  - relu: {}\n  - name: up\n    upsample: {scale_factor: 2, mode: bicubic}\n',
    );
    let ran = 0;
    assert.throws(
      () => runModel(bicubic, new Float32Array(16), { kind: 'random', seed: 0 }, { onLayer: () => ran++ }),
      /up: upsample mode 'bicubic' is not implemented by the engine/,
    );
    assert.equal(ran, 0);
  });
});
