// Randomly initialized parameters, kept across runs. Drawing a large model's weights takes
// seconds (VGG-11: 133 M values) while kernels never modify them, and each tensor depends only on
// (seed, state_dict name, shape, init): a re-run after an edit redraws only the layers the edit
// changed. The tensors are exactly the engine's `resolveWeights` for a random source.

import type { AnalyzedLayer } from '../../src/core';
import { kernelFor, type Params, type Tensor } from '../../src/core/engine';
import { initialParameter } from '../../src/core/engine/weights';

export class RandomWeightsCache {
  private readonly tensors = new Map<string, Tensor>();

  /** Parameters by layer; tensors the layers no longer use are dropped from the cache. */
  resolve(layers: readonly AnalyzedLayer[], seed: number): Map<string, Params> {
    const byLayer = new Map<string, Params>();
    const used = new Set<string>();
    for (const layer of layers) {
      const params: Record<string, Tensor> = {};
      for (const spec of kernelFor(layer.kind)?.params?.(layer) ?? []) {
        const fullName = `${layer.name}.${spec.name}`;
        const key = `${seed}|${fullName}|${spec.shape.join('x')}|${JSON.stringify(spec.init)}`;
        let t = this.tensors.get(key);
        if (t === undefined) {
          t = initialParameter(spec, seed, fullName);
          this.tensors.set(key, t);
        }
        used.add(key);
        params[spec.name] = t;
      }
      byLayer.set(layer.name, params);
    }
    for (const key of [...this.tensors.keys()]) if (!used.has(key)) this.tensors.delete(key);
    return byLayer;
  }

  get size(): number {
    return this.tensors.size;
  }
}
