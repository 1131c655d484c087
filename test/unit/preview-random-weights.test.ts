// The worker's cache of random parameters gives exactly the engine's seeded initialization, reuses
// tensors across runs, and forgets those no layer uses any more.

import { strict as assert } from 'node:assert';
import { analyzeYaml, type AnalyzedLayer } from '../../src/core';
import { kernelFor, resolveWeights } from '../../src/core/engine';
import { RandomWeightsCache } from '../../webview/preview/random-weights';

function layers(text: string): AnalyzedLayer[] {
  const model = analyzeYaml(text).model;
  assert.ok(model);
  return model.layers;
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

describe('preview random weights cache', () => {
  it('draws the same tensors as the engine', () => {
    const model = layers(MODEL);
    const cached = new RandomWeightsCache().resolve(model, 7);
    const engine = resolveWeights(model, { kind: 'random', seed: 7 }, kernelFor).byLayer;
    assert.deepEqual([...cached.keys()], [...engine.keys()]);
    for (const [layer, params] of engine) {
      const mine = cached.get(layer)!;
      assert.deepEqual(Object.keys(mine).sort(), Object.keys(params).sort());
      for (const [name, t] of Object.entries(params)) {
        assert.deepEqual(mine[name]!.shape, t.shape);
        assert.deepEqual(mine[name]!.data, t.data, `${layer}.${name}`);
      }
    }
  });

  it('reuses unchanged tensors and redraws changed ones after an edit', () => {
    const cache = new RandomWeightsCache();
    const before = cache.resolve(layers(MODEL), 0);
    const again = cache.resolve(layers(MODEL), 0);
    assert.equal(again.get('conv')!['weight'], before.get('conv')!['weight'], 'the very same tensor');
    const edited = cache.resolve(layers(MODEL.replace('out_features: 5', 'out_features: 6')), 0);
    assert.equal(edited.get('conv')!['weight'], before.get('conv')!['weight']);
    assert.notEqual(edited.get('fc')!['weight'], before.get('fc')!['weight']);
    assert.deepEqual(edited.get('fc')!['weight']!.shape, [6, 4 * 6 * 6]);
    // conv weight+bias, bn weight/bias/running_mean/running_var, fc weight+bias: the 5-feature fc is gone.
    assert.equal(cache.size, 8);
    const reseeded = cache.resolve(layers(MODEL), 1);
    assert.notDeepEqual(reseeded.get('conv')!['weight']!.data, before.get('conv')!['weight']!.data);
    assert.equal(cache.size, 8);
  });
});
