// The worker's cache of random parameters gives exactly the engine's seeded initialization, reuses
// tensors across runs, and forgets those no layer uses any more.

import { strict as assert } from 'node:assert';
import { analyzeYaml, type AnalyzedLayer } from '../../src/core';
import { resolveWeights, runModel, type Tensor } from '../../src/core';
import { LAZY_MIN_VALUES, RandomWeightsCache } from '../../webview/preview/worker/random-weights';

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
    const engine = resolveWeights(model, { kind: 'random', seed: 7 }).byLayer;
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

  it('lazy: large weights are made on demand, equal to the eager draw; a WebAssembly run packs each once and the next run draws nothing', () => {
    const model = analyzeYaml(`input: [1, 16, 12, 12]
layers:
  - name: conv
    conv2d: {out_channels: 32, kernel_size: 3, padding: 1}
  - name: bn
    batchnorm2d: {}
  - name: relu
    relu: {}
  - flatten: {}
  - name: fc
    linear: {out_features: 10}
`).model!;
    const eager = new RandomWeightsCache().resolve(model.layers, 5);
    const lazy = new RandomWeightsCache({ lazy: true }).resolve(model.layers, 5);
    const draws = (t: Tensor | undefined) => (t as { draws?: number } | undefined)?.draws;
    // conv.weight is 32·16·3·3 = 4608 values and fc.weight 10·4608: at least LAZY_MIN_VALUES, made on demand.
    assert.ok(32 * 16 * 9 >= LAZY_MIN_VALUES);
    for (const name of ['conv', 'fc']) assert.equal(draws(lazy.get(name)!['weight']), 0, `${name}.weight not drawn yet`);
    for (const name of ['bias']) assert.equal(draws(lazy.get('conv')![name]), undefined, 'small tensors are ordinary');
    const tensorsOf = (byLayer: Map<string, Record<string, Tensor>>) => {
      const map = new Map<string, Tensor>();
      for (const [layer, p] of byLayer) for (const [suffix, t] of Object.entries(p)) map.set(`${layer}.${suffix}`, t);
      return map;
    };
    const input = Float32Array.from({ length: 16 * 144 }, (_, i) => Math.sin(i));
    const reference = runModel(model, input, { kind: 'tensors', tensors: tensorsOf(eager) }, { backend: 'ts', keep: ['fc'] }).outputs.get(
      'fc',
    )!;
    for (let run = 1; run <= 2; run++) {
      // keep 'all': no fusion, so the packing is of the weights themselves (as in the preview).
      const out = runModel(model, input, { kind: 'tensors', tensors: tensorsOf(lazy) }, { backend: 'wasm', keep: 'all' }).outputs.get(
        'fc',
      )!;
      const scale = Math.max(...reference.data.map(Math.abs));
      out.data.forEach((v, i) =>
        assert.ok(Math.abs(v - reference.data[i]!) <= 1e-5 * scale, `run ${run}, logit ${i}: ${v} vs ${reference.data[i]}`),
      );
      for (const name of ['conv', 'fc'])
        assert.equal(draws(lazy.get(name)!['weight']), 1, `run ${run}: ${name}.weight drawn once, for its packing`);
    }
    for (const name of ['conv', 'fc'])
      assert.deepEqual([...lazy.get(name)!['weight']!.data], [...eager.get(name)!['weight']!.data], `${name}.weight`);
  });
});
