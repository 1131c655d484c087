// torch.nn.Conv2d: out = floor((H + 2P − D·(K−1) − 1) / S) + 1, computed by the shared geometry.

import { computeWindowGeometry } from '../../geometry';
import { formatAxisFormula } from '../../format';
import { checkWrittenCount, reportWindowProblems, requireRank4, windowRule } from '../common';
import { tfSamePaddingFacts } from '../tf-same-padding';
import { defineKind, type KindAttrs, type ParamSpec } from '../types';

export const conv2d = defineKind({
  kind: 'conv2d',
  torch: 'torch.nn.Conv2d',
  doc: '2-D convolution (im2col + GEMM in the engine).',
  inputs: 'one',
  params: [
    { name: 'out_channels', type: 'int', required: true, min: 1, doc: 'Number of filters (output channels).' },
    { name: 'kernel_size', type: 'pair', required: true, min: 1, doc: 'Filter size k or [kh, kw].' },
    { name: 'stride', type: 'pair', default: 1, min: 1, doc: 'Step between windows.' },
    { name: 'padding', type: 'padding', default: 0, min: 0, doc: "Zero padding per side, or 'same' (stride 1 only) / 'valid'." },
    { name: 'dilation', type: 'pair', default: 1, min: 1, doc: 'Spacing between kernel taps.' },
    { name: 'groups', type: 'int', default: 1, min: 1, doc: 'Blocked connections: in and out channels must both divide by it.' },
    { name: 'bias', type: 'bool', default: true, doc: 'Adds a learnable bias per output channel.' },
    { name: 'in_channels', type: 'int', min: 1, doc: 'Optional: checked against the input channels.' },
  ],
  infer(ctx) {
    const shape = requireRank4(ctx, 'conv');
    if (!shape) return undefined;
    const [n, c, h, w] = shape;
    if (!checkWrittenCount(ctx, 'in_channels', c, 'conv.channel-mismatch', 'channels')) return undefined;
    const { out_channels: outChannels, groups, stride, padding, kernel_size: kernel, dilation } = ctx.attrs;
    if (padding === 'same' && (stride[0] !== 1 || stride[1] !== 1) && ctx.framework === 'pytorch') {
      ctx.error(
        'conv.same-with-stride',
        `${ctx.layer.name}: padding 'same' needs stride 1 in PyTorch, got stride ${stride[0] === stride[1] ? stride[0] : `[${stride.join(', ')}]`}`,
        ctx.rangeOf('padding'),
      );
      return undefined;
    }
    if (c % groups !== 0 || outChannels % groups !== 0) {
      const which = c % groups !== 0 ? `in_channels ${c}` : `out_channels ${outChannels}`;
      const divisors = commonDivisors(c, outChannels);
      const nearest = divisors.sort((a, b) => Math.abs(a - groups) - Math.abs(b - groups) || b - a)[0] ?? 1;
      const fix = ctx.setParamFix(`Set groups to ${nearest}`, 'groups', String(nearest), true);
      ctx.error(
        'conv.groups-mismatch',
        `${ctx.layer.name}: groups ${groups} does not divide ${which} (in ${c}, out ${outChannels})`,
        ctx.rangeOf('groups'),
        {
          fixes: fix ? [fix] : undefined,
        },
      );
      return undefined;
    }
    const geometry = computeWindowGeometry({ input: [h, w], kernel, stride, padding, dilation });
    if (!reportWindowProblems(ctx, 'conv', geometry)) return undefined;
    const oh = geometry.h.output;
    const ow = geometry.w.output;
    const perGroupIn = c / groups;
    const positions = BigInt(n) * BigInt(oh) * BigInt(ow);
    const macs = positions * BigInt(outChannels) * BigInt(perGroupIn) * BigInt(kernel[0]) * BigInt(kernel[1]);
    return {
      outputShape: [n, outChannels, oh, ow],
      macs,
      geometry,
      receptiveField: windowRule(geometry),
      derived: { in_channels: c },
      im2col: { rows: positions, cols: perGroupIn * kernel[0] * kernel[1], groups },
      facts: [
        { label: 'H', value: formatAxisFormula(geometry.h) },
        { label: 'W', value: formatAxisFormula(geometry.w) },
        // Where TensorFlow's asymmetric 'same' differs from what symmetric padding would give.
        ...(ctx.framework === 'tfjs' ? tfSamePaddingFacts(geometry) : []),
      ],
    };
  },
  paramTensors: (attrs, [input]) => convTensors(attrs.out_channels, (input![1] ?? 0) / attrs.groups, attrs.kernel_size, attrs.bias),
});

export type Conv2dAttrs = KindAttrs<typeof conv2d>;

/**
 * A convolution's weight [Cout, Cin/groups, KH, KW] and bias [Cout], with PyTorch's default
 * bound 1/√fan_in, fan_in = Cin/groups · KH · KW.
 */
export function convTensors(cout: number, cinPerGroup: number, [kh, kw]: readonly [number, number], bias: boolean): ParamSpec[] {
  const fanIn = cinPerGroup * kh * kw;
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  const tensors: ParamSpec[] = [{ name: 'weight', shape: [cout, cinPerGroup, kh, kw], init: { kind: 'uniform', bound } }];
  if (bias) tensors.push({ name: 'bias', shape: [cout], init: { kind: 'uniform', bound } });
  return tensors;
}

function commonDivisors(a: number, b: number): number[] {
  const found: number[] = [];
  for (let d = 1; d <= Math.min(a, b); d++) if (a % d === 0 && b % d === 0) found.push(d);
  return found;
}
