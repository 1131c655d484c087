// Where a run's weights come from, and how results name them. Apart from ./weights.ts, which
// resolves them against the kinds' parameter tensors, so the preview page can name a source
// without bundling the layer kinds.

import type { Tensor } from '../engine/tensor';
import type { ResolvedWeights } from './weights';

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

export function describeWeights(source: WeightSource): string {
  if (source.kind === 'resolved') return source.weights.description;
  return source.kind === 'random' ? `random weights (seed ${source.seed})` : `weights from ${source.label ?? 'the given tensors'}`;
}
