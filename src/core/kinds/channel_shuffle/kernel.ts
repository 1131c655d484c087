// ChannelShuffle: output channel i·g + j is input channel j·(C/g) + i, for every batch item.
import { emptyTensor, EngineError, type Tensor } from '../../engine/tensor';
import type { LayerKernel } from '../kernel-types';
import type { ChannelShuffleAttrs } from './def';

/** Moves channel blocks: `inverse` undoes the shuffle (the backward). */
export function channelShuffleForward(x: Tensor, groups: number, inverse = false): Tensor {
  const [n = 1, c = 1] = x.shape;
  if (x.shape.length < 2 || c % groups !== 0)
    throw new EngineError(`channel_shuffle: ${c} channels are not a multiple of ${groups} groups`);
  let plane = 1;
  for (let k = 2; k < x.shape.length; k++) plane *= x.shape[k]!;
  const perGroup = c / groups;
  const y = emptyTensor(x.shape);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < perGroup; i++) {
      for (let j = 0; j < groups; j++) {
        const out = i * groups + j,
          from = j * perGroup + i;
        const [dst, src] = inverse ? [from, out] : [out, from];
        y.data.set(x.data.subarray((b * c + src) * plane, (b * c + src + 1) * plane), (b * c + dst) * plane);
      }
    }
  }
  return y;
}

export const channelShuffleKernel: LayerKernel<ChannelShuffleAttrs> = {
  forward(layer, inputs) {
    return { output: channelShuffleForward(inputs[0]!, layer.attrs.groups) };
  },
  backward(layer, _inputs, _params, _forward, dy) {
    return { inputs: [channelShuffleForward(dy, layer.attrs.groups, true)], params: {} };
  },
};
