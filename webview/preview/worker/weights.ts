// The weights the page handed the worker, by token (a .safetensors file is parsed once, when it
// arrives), and their one resolution per run: matched to the layers by state_dict name, or drawn
// at random (kept across runs, so an edit redraws only the layers it changed). The run, the
// saliency passes and the `unused` report all read that one resolution.

import type { ModelAnalysis } from '../../../src/core/analyze/analysis-types';
import { describeWeights, parseSafetensors, resolveWeights, type ResolvedWeights } from '../../../src/core/run';
import type { WeightsPayload } from '../../../src/shared/preview-messages';
import { RandomWeightsCache } from './random-weights';
import { messageOf, RunRefused } from './steps';

type Source =
  { kind: 'random'; seed: number } | { kind: 'tensors'; tensors: ReturnType<typeof parseSafetensors>['tensors']; label: string };

export interface ChosenWeights {
  source: Source;
  /** "random weights (seed 0)" or "weights from model.safetensors". */
  label: string;
}

export class WorkerWeights {
  /** By token: the weights as the engine reads them, or why the file could not be read. */
  private readonly byToken = new Map<number, ChosenWeights | { error: string }>();
  private readonly random: RandomWeightsCache;

  /** `lazy`: random weight tensors are made on demand (when the WebAssembly kernels pack them). */
  constructor(lazy: boolean) {
    this.random = new RandomWeightsCache({ lazy });
  }

  set(token: number, weights: WeightsPayload): void {
    if (weights.kind === 'random') {
      const source: Source = { kind: 'random', seed: weights.seed };
      this.byToken.set(token, { source, label: describeWeights(source) });
      return;
    }
    try {
      const file = parseSafetensors(weights.bytes);
      const source: Source = { kind: 'tensors', tensors: file.tensors, label: weights.name };
      this.byToken.set(token, { source, label: describeWeights(source) });
    } catch (error) {
      this.byToken.set(token, { error: `${weights.name}: ${messageOf(error)}` });
    }
  }

  /** The weights the page chose for a run, if they were read and fit the model's framework. */
  chosen(model: ModelAnalysis, token: number): ChosenWeights {
    const weights = this.byToken.get(token);
    if (weights === undefined || 'error' in weights)
      throw new RunRefused('weights', weights === undefined ? 'no weights were given to the preview' : weights.error);
    if (model.framework === 'tfjs' && weights.source.kind === 'tensors') {
      throw new RunRefused(
        'weights',
        `${weights.source.label} is a PyTorch state_dict (tensors named like conv1.weight, in PyTorch's layouts), which does not fit a TensorFlow.js model; ` +
          'the preview runs TensorFlow.js models with random weights: choose "Random weights"',
      );
    }
    return weights;
  }

  /** The parameters of every layer, matched or drawn once for the run and what it keeps. */
  resolve(model: ModelAnalysis, weights: ChosenWeights): ResolvedWeights {
    const { source } = weights;
    try {
      if (source.kind !== 'random') return resolveWeights(model.layers, source);
      return { byLayer: this.random.resolve(model.layers, source.seed), description: weights.label, unused: [] };
    } catch (error) {
      throw new RunRefused('weights', messageOf(error));
    }
  }
}
