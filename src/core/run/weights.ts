// The parameter tensors of a model, by layer: from a state_dict-named tensor map (a .safetensors
// file) or PyTorch's default initialization from a seed. Every problem is collected and reported
// at once, each naming the tensor and both shapes.

import type { AnalyzedLayer } from '../analyze/analysis-types';
import type { ParamSpec, Params } from '../kinds/kernel-types';
import { paramTensorsOf } from '../kinds';
import { fillUniformStream } from '../engine/rng';
import { EngineError, formatShape, sameShape, shapeSize, type Tensor } from '../engine/tensor';
import type { UniformDraw } from '../engine/wasm/index';

export type WeightSource =
  /** Tensors named as in a PyTorch state_dict: `<layer name>.weight`, `.bias`, `.running_mean`, `.running_var`. */
  | { kind: 'tensors'; tensors: ReadonlyMap<string, Tensor>; label?: string }
  /**
   * kaiming_uniform(a = √5) for conv/linear weights, i.e. U(−1/√fan_in, 1/√fan_in), the same bound
   * for biases, and BatchNorm weight 1, bias 0, running mean 0, running var 1 — PyTorch's defaults,
   * drawn from ./rng.ts's generator (one stream per tensor name), not from PyTorch's.
   */
  | { kind: 'random'; seed: number }
  /**
   * Weights a caller already resolved for these layers (`resolveWeights`, or the preview's cache of
   * random weights): used as they are, so a caller that keeps them (the preview's saliency) and the
   * run read the same tensors, matched and drawn once.
   */
  | { kind: 'resolved'; weights: ResolvedWeights };

export interface ResolvedWeights {
  byLayer: Map<string, Params>;
  /** For output headers: "weights from model.safetensors" or "random weights (seed 0)". */
  description: string;
  /** Tensors of the file no layer uses (num_batches_tracked excepted). */
  unused: string[];
}

export function describeWeights(source: WeightSource): string {
  if (source.kind === 'resolved') return source.weights.description;
  return source.kind === 'random' ? `random weights (seed ${source.seed})` : `weights from ${source.label ?? 'the given tensors'}`;
}

export function initialParameter(spec: ParamSpec, seed: number, fullName: string): Tensor {
  // A JavaScript array even inside a run's tensor storage (tensor.ts): a parameter outlives the layer.
  const t = { shape: [...spec.shape], data: new Float32Array(shapeSize(spec.shape)) };
  if (spec.init.kind === 'constant') t.data.fill(spec.init.value);
  else fillUniformStream(t.data, spec.init.bound, seed, fullName);
  return t;
}

/** A parameter made on demand (`lazyParameter`). */
export interface LazyParameter extends Tensor {
  /** How often its values were drawn, as an array or by a packer. */
  readonly draws: number;
  /**
   * Its values as a draw the WebAssembly packers make themselves, straight into the module's
   * memory (counted as a draw); undefined for a constant initialization.
   */
  uniformDraw(): UniformDraw | undefined;
}

/** The draw behind a tensor the engine may pack without reading its `data`, if it is one. */
export function uniformDrawOf(t: Tensor): UniformDraw | undefined {
  return typeof (t as Partial<LazyParameter>).uniformDraw === 'function' ? (t as LazyParameter).uniformDraw() : undefined;
}

/**
 * The same parameter, made on demand and not kept: `data` draws it (deterministic in seed, name
 * and shape) when read and nobody holds the last array drawn. The WebAssembly backend packs a
 * weight tensor once, keyed on the tensor (./wasm/packed-weights.ts), so after the first run the
 * packing is the only copy of such a weight; the backward passes (saliency) draw it again.
 * `draws` counts how often it was drawn.
 */
export function lazyParameter(spec: ParamSpec, seed: number, fullName: string): LazyParameter {
  let last: WeakRef<Float32Array> | undefined;
  let draws = 0;
  const { init } = spec;
  return {
    shape: [...spec.shape],
    uniformDraw(): UniformDraw | undefined {
      if (init.kind !== 'uniform') return undefined;
      draws++;
      return { kind: 'uniform', length: shapeSize(spec.shape), bound: init.bound, seed, stream: fullName };
    },
    get data(): Float32Array {
      let data = last?.deref();
      if (data === undefined) {
        data = initialParameter(spec, seed, fullName).data;
        last = new WeakRef(data);
        draws++;
      }
      return data;
    },
    get draws() {
      return draws;
    },
  };
}

export function resolveWeights(layers: readonly AnalyzedLayer[], source: WeightSource): ResolvedWeights {
  if (source.kind === 'resolved') return source.weights;
  const byLayer = new Map<string, Params>();
  const problems: string[] = [];
  const used = new Set<string>();
  for (const layer of layers) {
    const specs = paramTensorsOf(layer);
    const params: Record<string, Tensor> = {};
    for (const spec of specs) {
      const fullName = `${layer.name}.${spec.name}`;
      if (source.kind === 'random') {
        params[spec.name] = initialParameter(spec, source.seed, fullName);
        continue;
      }
      const found = source.tensors.get(fullName);
      used.add(fullName);
      if (found === undefined) {
        problems.push(`${fullName}: missing from ${source.label ?? 'the weights'} (the model needs shape ${formatShape(spec.shape)})`);
      } else if (!sameShape(found.shape, spec.shape)) {
        problems.push(
          `${fullName}: shape ${formatShape(found.shape)} in ${source.label ?? 'the weights'}, but the model needs ${formatShape(spec.shape)}`,
        );
      } else {
        params[spec.name] = found;
      }
    }
    byLayer.set(layer.name, params);
  }
  if (problems.length > 0) {
    throw new EngineError(
      `the weights do not fit the model (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.join('\n  ')}`,
    );
  }
  const unused =
    source.kind === 'random' ? [] : [...source.tensors.keys()].filter((k) => !used.has(k) && !k.endsWith('.num_batches_tracked'));
  return { byLayer, description: describeWeights(source), unused };
}
