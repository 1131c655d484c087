// Randomly initialized parameters, kept across runs. Drawing a large model's weights takes
// seconds (VGG-11: 133 M values) while kernels never modify them, and each tensor depends only on
// (seed, state_dict name, shape, init): a re-run after an edit redraws only the layers the edit
// changed. The tensors are exactly the engine's `resolveWeights` for a random source.
//
// With `lazy` (the worker sets it when the WebAssembly backend runs), large weight tensors are
// made on demand and not kept (`lazyParameter`): the engine packs each once, keyed on the tensor,
// and the packing is then the only copy of the weights (VGG-11's 133 M values are held once, not
// twice). The convolution and linear packers draw them in the module, straight into the memory
// they pack from (`uniformDraw`); a backward pass (saliency) draws a layer's weights again, as an
// array, when it needs them.

import type { AnalyzedLayer } from '../../src/core';
import { paramTensorsOf, shapeSize, type Params, type Tensor } from '../../src/core';
import { initialParameter, lazyParameter } from '../../src/core/run/weights';

/** Weights at least this large (and at least 2-D) are made on demand when `lazy`. */
export const LAZY_MIN_VALUES = 4096;

export class RandomWeightsCache {
  private readonly tensors = new Map<string, Tensor>();

  constructor(private readonly options: { lazy?: boolean } = {}) {}

  /** Parameters by layer; tensors the layers no longer use are dropped from the cache. */
  resolve(layers: readonly AnalyzedLayer[], seed: number): Map<string, Params> {
    const byLayer = new Map<string, Params>();
    const used = new Set<string>();
    for (const layer of layers) {
      const params: Record<string, Tensor> = {};
      for (const spec of paramTensorsOf(layer)) {
        const fullName = `${layer.name}.${spec.name}`;
        const key = `${seed}|${fullName}|${spec.shape.join('x')}|${JSON.stringify(spec.init)}`;
        let t = this.tensors.get(key);
        if (t === undefined) {
          const size = shapeSize(spec.shape);
          const lazy = this.options.lazy === true && spec.shape.length >= 2 && size >= LAZY_MIN_VALUES;
          t = lazy ? lazyParameter(spec, seed, fullName) : initialParameter(spec, seed, fullName);
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
