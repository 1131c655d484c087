// channel_shuffle, stochastic_depth and layer_norm2d. Oracles: nn.ChannelShuffle's documented permutation by
// hand (ChannelShuffle(2) of channels 0..5 is 0, 3, 1, 4, 2, 5), finite differences for its
// backward, and StochasticDepth being the identity at inference.

import { strict as assert } from 'node:assert';
import { analyzeYaml, runModel } from '../../src/core';
import { channelShuffleForward } from '../../src/core/kinds/channel_shuffle/kernel';
import { layerNorm2dForward } from '../../src/core/kinds/layer_norm2d/kernel';
import { kernelFor } from '../../src/core/kinds/kernels';
import { tensor } from '../../src/core/engine/tensor';
import { gemmBlocked } from '../../src/core/engine/gemm';
import { checkGradient, handLayer, randomTensor, weightedSum } from './engine-support.test';

/** Kinds whose kernels are checked here by hand, not by PyTorch fixtures. */
export const SHUFFLE_KINDS_CHECKED_BY_HAND = ['channel_shuffle', 'pixel_shuffle', 'stochastic_depth', 'layer_norm2d'];

/** A [N, C, 1, 2] tensor whose value is 100·n + 10·c + w, to read the permutation back. */
function labelled(n: number, c: number): ReturnType<typeof tensor> {
  const x = tensor([n, c, 1, 2]);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++) for (let w = 0; w < 2; w++) x.data[(b * c + ch) * 2 + w] = 100 * b + 10 * ch + w;
  return x;
}

function channelsOf(y: ReturnType<typeof tensor>, n: number, c: number): number[][] {
  return Array.from({ length: n }, (_, b) => Array.from({ length: c }, (_, ch) => (y.data[(b * c + ch) * 2]! - 100 * b) / 10));
}

describe('channel_shuffle', () => {
  it('permutes channels as nn.ChannelShuffle (hand permutations), per batch item, planes intact', () => {
    assert.deepEqual(channelsOf(channelShuffleForward(labelled(2, 6), 2), 2, 6), [
      [0, 3, 1, 4, 2, 5],
      [0, 3, 1, 4, 2, 5],
    ]);
    assert.deepEqual(channelsOf(channelShuffleForward(labelled(1, 6), 3), 1, 6), [[0, 2, 4, 1, 3, 5]]);
    assert.deepEqual(channelsOf(channelShuffleForward(labelled(1, 4), 1), 1, 4), [[0, 1, 2, 3]]);
    const y = channelShuffleForward(labelled(1, 6), 2);
    assert.deepEqual(Array.from(y.data.subarray(2, 4)), [30, 31]);
    // The inverse undoes it.
    assert.deepEqual(Array.from(channelShuffleForward(y, 2, true).data), Array.from(labelled(1, 6).data));
  });

  it('its backward matches finite differences', () => {
    const layer = handLayer('channel_shuffle', { groups: 3 }, [[2, 6, 2, 2]], [2, 6, 2, 2]);
    const kernel = kernelFor('channel_shuffle')!;
    const x = randomTensor([2, 6, 2, 2], 1);
    const ctx = { gemm: gemmBlocked };
    const out = kernel.forward(layer, [x], {}, ctx);
    const r = randomTensor(out.output.shape, 2);
    const grads = kernel.backward!(layer, [x], {}, out, r, ctx);
    checkGradient('channel_shuffle', () => weightedSum(kernel.forward(layer, [x], {}, ctx).output, r), x.data, grads.inputs[0]!.data, {
      eps: 0.5,
      tol: 1e-4,
      samples: 48,
    });
  });

  it('shape, facts, and the groups error quoting the numbers', () => {
    const ok = analyzeYaml('input: [1, 116, 4, 4]\nlayers:\n  - channel_shuffle: {groups: 2}\n');
    assert.deepEqual(ok.diagnostics, []);
    const layer = ok.model!.layers[0]!;
    assert.deepEqual([layer.outputShape, layer.params, layer.macs], [[1, 116, 4, 4], 0n, 0n]);
    assert.deepEqual(layer.facts, [{ label: 'shuffle', value: '2 groups of 58 channels: out[i·2 + j] = in[j·58 + i]' }]);
    const bad = analyzeYaml('input: [1, 6, 4, 4]\nlayers:\n  - channel_shuffle: {groups: 4}\n').diagnostics;
    assert.deepEqual(
      bad.map((d) => d.code),
      ['channel_shuffle.groups-mismatch'],
    );
    assert.match(bad[0]!.message, /6 channels can't be shuffled in 4 groups/);
  });
});

describe('stochastic_depth', () => {
  it('is the identity at inference, with p in the hover facts', () => {
    const result = analyzeYaml('input: [1, 3, 4, 4]\nlayers:\n  - stochastic_depth: {p: 0.2}\n');
    assert.deepEqual(result.diagnostics, []);
    const layer = result.model!.layers[0]!;
    assert.deepEqual([layer.outputShape, layer.params, layer.macs], [[1, 3, 4, 4], 0n, 0n]);
    assert.deepEqual(layer.facts, [{ label: 'drop probability', value: 'p = 0.2 (row mode, training only; identity at inference)' }]);
    const input = Float32Array.from({ length: 48 }, (_, i) => i - 20);
    const run = runModel(result.model!, input, { kind: 'random', seed: 1 }, { backend: 'ts' });
    assert.deepEqual(Array.from(run.outputs.get('stochastic_depth_1')!.data), Array.from(input));
  });

  it('rejects p outside [0, 1] and an unknown mode', () => {
    assert.deepEqual(
      analyzeYaml('input: [1, 3, 4, 4]\nlayers:\n  - stochastic_depth: {p: 1.5}\n').diagnostics.map((d) => d.severity),
      ['error'],
    );
    assert.deepEqual(
      analyzeYaml('input: [1, 3, 4, 4]\nlayers:\n  - stochastic_depth: {mode: rows}\n').diagnostics.map((d) => d.severity),
      ['error'],
    );
  });
});

describe('layer_norm2d', () => {
  it('hand values: two channels [1, 3] at a position normalize to ∓1/sqrt(1 + eps), then weight and bias', () => {
    // x[0, :, 0, 0] = [1, 3]: mean 2, biased variance 1; x[0, :, 0, 1] = [5, 5]: variance 0 → 0.
    const x = tensor([1, 2, 1, 2], Float32Array.from([1, 5, 3, 5]));
    const eps = 1e-6;
    const k = 1 / Math.sqrt(1 + eps);
    const y = layerNorm2dForward(x, eps);
    assert.deepEqual(Array.from(y.data), [-k, 0, k, 0].map(Math.fround));
    const scaled = layerNorm2dForward(x, eps, Float32Array.from([2, 10]), Float32Array.from([0.5, -1]));
    assert.deepEqual(Array.from(scaled.data), [-2 * k + 0.5, 0.5, 10 * k - 1, -1].map(Math.fround));
    // Three channels [0, 3, 6]: mean 3, biased variance (9 + 0 + 9) / 3 = 6.
    const three = layerNorm2dForward(tensor([1, 3, 1, 1], Float32Array.from([0, 3, 6])), 0);
    assert.deepEqual(Array.from(three.data), [-3 / Math.sqrt(6), 0, 3 / Math.sqrt(6)].map(Math.fround));
  });

  it('analyzes as ConvNeXt uses it: shape unchanged, 2·C params, 0 MACs; runs with state-dict names weight and bias', () => {
    const result = analyzeYaml('input: [1, 4, 3, 3]\nlayers:\n  - name: norm\n    layer_norm2d: {}\n');
    assert.deepEqual(result.diagnostics, []);
    const layer = result.model!.layers[0]!;
    assert.deepEqual([layer.outputShape, layer.params, layer.macs], [[1, 4, 3, 3], 8n, 0n]);
    const input = Float32Array.from({ length: 36 }, (_, i) => Math.sin(i));
    const run = runModel(result.model!, input, { kind: 'random', seed: 1 }, { backend: 'ts' });
    const y = run.outputs.get('norm')!;
    // Default weights (1, 0): each position's 4 values have mean 0 and biased variance ≈ 1.
    for (let p = 0; p < 9; p++) {
      const v = [0, 1, 2, 3].map((c) => y.data[c * 9 + p]!);
      const mean = v.reduce((a, b) => a + b, 0) / 4;
      const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
      assert.ok(Math.abs(mean) < 1e-5 && Math.abs(variance - 1) < 1e-3, `position ${p}: mean ${mean}, variance ${variance}`);
    }
  });
});
