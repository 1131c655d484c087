// Zero padding of H and W (TensorFlow zeroPadding2d, torch.nn.ZeroPad2d): symmetric `padding`,
// or per side with top / bottom / left / right (each overrides its side of `padding`).

import { computeWindowAxis, type WindowAxis } from '../../geometry';
import { requireRank4 } from '../common';
import { defineKind, type KindAttrs } from '../types';

/** A 1×1, stride-1 window over the padded axis: only what the receptive field needs. */
function paddedAxis(input: number, before: number, after: number): WindowAxis {
  const axis = computeWindowAxis({ input, kernel: 1, stride: 1, padding: 0, dilation: 1 });
  const output = input + before + after;
  return { ...axis, padBefore: before, padAfter: after, numerator: output - 1, output, exactOutput: output };
}

export const zeroPadding2d = defineKind({
  kind: 'zero_padding2d',
  torch: 'torch.nn.ZeroPad2d',
  doc: 'Adds rows and columns of zeros around H and W.',
  inputs: 'one',
  params: [
    { name: 'padding', type: 'pool-padding', default: 1, min: 0, doc: 'Zeros on each side: p or [ph, pw] (TensorFlow default 1).' },
    { name: 'top', type: 'int', min: 0, doc: 'Rows added above (overrides padding).' },
    { name: 'bottom', type: 'int', min: 0, doc: 'Rows added below (overrides padding).' },
    { name: 'left', type: 'int', min: 0, doc: 'Columns added on the left (overrides padding).' },
    { name: 'right', type: 'int', min: 0, doc: 'Columns added on the right (overrides padding).' },
  ],
  infer(ctx) {
    const shape = requireRank4(ctx, 'padding');
    if (!shape) return undefined;
    const [n, c, h, w] = shape;
    const [ph, pw] = ctx.attrs.padding;
    const { top = ph, bottom = ph, left = pw, right = pw } = ctx.attrs;
    const oh = h + top + bottom;
    const ow = w + left + right;
    return {
      outputShape: [n, c, oh, ow],
      params: 0n,
      macs: 0n,
      receptiveField: { type: 'window', geometry: { h: paddedAxis(h, top, bottom), w: paddedAxis(w, left, right) } },
      derived: { top, bottom, left, right },
      facts: [{ label: 'Padding', value: `top ${top}, bottom ${bottom}, left ${left}, right ${right}: ${h}×${w} → ${oh}×${ow}` }],
    };
  },
});

export type ZeroPadding2dAttrs = KindAttrs<typeof zeroPadding2d>;
