// pixel_shuffle. Oracles: nn.PixelShuffle's documented rearrangement worked by hand on a labelled
// tensor, the inverse (PixelUnshuffle) round trip, and finite differences for the backward.

import { strict as assert } from 'node:assert';
import { analyzeYaml } from '../../src/core';
import { gemmBlocked } from '../../src/core/engine/gemm';
import { tensor } from '../../src/core/engine/tensor';
import { kernelFor } from '../../src/core/kinds/kernels';
import { pixelShuffleForward } from '../../src/core/kinds/pixel_shuffle/kernel';
import { checkGradient, handLayer, randomTensor, weightedSum } from './engine-support.test';

describe('pixel_shuffle', () => {
  it('moves channel c·r² + i·r + j to pixel (h·r + i, w·r + j), worked by hand', () => {
    // [1, 8, 1, 2], value 10·channel + w; r = 2 → [1, 2, 2, 4].
    const x = tensor([1, 8, 1, 2]);
    for (let c = 0; c < 8; c++) for (let w = 0; w < 2; w++) x.data[c * 2 + w] = 10 * c + w;
    const y = pixelShuffleForward(x, 2);
    assert.deepEqual(y.shape, [1, 2, 2, 4]);
    // Channel 0: row 0 from channels 0 and 1, row 1 from 2 and 3; channel 1 from 4…7.
    assert.deepEqual(Array.from(y.data), [0, 10, 1, 11, 20, 30, 21, 31, 40, 50, 41, 51, 60, 70, 61, 71]);
    // The torch docs' smallest case: four channels 0..3 of one pixel become a 2×2 block.
    const one = tensor([1, 4, 1, 1]);
    one.data.set([0, 1, 2, 3]);
    assert.deepEqual(Array.from(pixelShuffleForward(one, 2).data), [0, 1, 2, 3]);
    assert.deepEqual(Array.from(pixelShuffleForward(y, 2, true).data), Array.from(x.data));
  });

  it('its backward matches finite differences', () => {
    const layer = handLayer('pixel_shuffle', { upscale_factor: 3 }, [[2, 9, 2, 3]], [2, 1, 6, 9]);
    const kernel = kernelFor('pixel_shuffle')!;
    const x = randomTensor([2, 9, 2, 3], 1);
    const ctx = { gemm: gemmBlocked };
    const out = kernel.forward(layer, [x], {}, ctx);
    assert.deepEqual(out.output.shape, [2, 1, 6, 9]);
    const r = randomTensor(out.output.shape, 2);
    const grads = kernel.backward!(layer, [x], {}, out, r, ctx);
    checkGradient('pixel_shuffle', () => weightedSum(kernel.forward(layer, [x], {}, ctx).output, r), x.data, grads.inputs[0]!.data, {
      eps: 0.5,
      tol: 1e-4,
      samples: 48,
    });
  });

  it('shape, facts, and the channels error quoting the numbers', () => {
    // ESPCN's last layer: 3·3² = 27 channels at 224² become an RGB image at 672².
    const ok = analyzeYaml('input: [1, 27, 224, 224]\nlayers:\n  - pixel_shuffle: {upscale_factor: 3}\n');
    assert.deepEqual(ok.diagnostics, []);
    const layer = ok.model!.layers[0]!;
    assert.deepEqual([layer.outputShape, layer.params, layer.macs], [[1, 3, 672, 672], 0n, 0n]);
    assert.equal(layer.facts[0]!.label, 'depth to space');
    const bad = analyzeYaml('input: [1, 6, 4, 4]\nlayers:\n  - pixel_shuffle: {upscale_factor: 2}\n').diagnostics;
    assert.deepEqual(
      bad.map((d) => d.code),
      ['pixel_shuffle.channels-mismatch'],
    );
    assert.match(bad[0]!.message, /6 channels are not a multiple of upscale_factor² = 2² = 4/);
  });
});
