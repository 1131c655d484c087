// PixelShuffle: out[n][c][h·r + i][w·r + j] = in[n][c·r² + i·r + j][h][w]; the backward is the
// inverse rearrangement (PixelUnshuffle) of the output gradient.
import { emptyTensor, EngineError, type Tensor } from '../../engine/tensor';
import type { LayerKernel } from '../kernel-types';
import type { PixelShuffleAttrs } from './def';

/** Depth to space; `inverse` goes back (space to depth), given the shuffled tensor. */
export function pixelShuffleForward(x: Tensor, r: number, inverse = false): Tensor {
  if (x.shape.length !== 4) throw new EngineError(`pixel_shuffle: needs a 4-D tensor, got [${x.shape.join(', ')}]`);
  const [n, c0, h0, w0] = x.shape as [number, number, number, number];
  // The deep (input) layout: [n, c·r², h, w]; the wide (output) layout: [n, c, h·r, w·r].
  const [c, h, w] = inverse ? [c0, h0 / r, w0 / r] : [c0 / (r * r), h0, w0];
  if (!Number.isInteger(c) || !Number.isInteger(h) || !Number.isInteger(w))
    throw new EngineError(`pixel_shuffle: [${x.shape.join(', ')}] does not ${inverse ? 'unshuffle' : 'shuffle'} by ${r}`);
  const y = emptyTensor(inverse ? [n, c * r * r, h, w] : [n, c, h * r, w * r]);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let i = 0; i < r; i++)
        for (let j = 0; j < r; j++)
          for (let yy = 0; yy < h; yy++)
            for (let xx = 0; xx < w; xx++) {
              const deep = ((b * c * r * r + ch * r * r + i * r + j) * h + yy) * w + xx;
              const wide = ((b * c + ch) * h * r + yy * r + i) * (w * r) + xx * r + j;
              if (inverse) y.data[deep] = x.data[wide]!;
              else y.data[wide] = x.data[deep]!;
            }
  return y;
}

export const pixelShuffleKernel: LayerKernel<PixelShuffleAttrs> = {
  forward(layer, inputs) {
    return { output: pixelShuffleForward(inputs[0]!, layer.attrs.upscale_factor) };
  },
  backward(layer, _inputs, _params, _forward, dy) {
    return { inputs: [pixelShuffleForward(dy, layer.attrs.upscale_factor, true)], params: {} };
  },
};
