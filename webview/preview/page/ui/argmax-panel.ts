// The argmax view of a max-pool layer: the input plane with a marker on each window's maximum
// (the element the output copies and the backward pass routes the gradient to), beside the output.

import type { WindowGeometry } from '../../../../src/core';
import { combinedRange, planeLayout, tensorStats } from '../../stats';
import type { TensorData } from '../../protocol';
import { legend, markerColour, scaleFor, zoomedPlane } from './canvas';
import { h, labelled, select } from '../../../shared/dom';

export class ArgmaxPanel {
  readonly element: HTMLElement;
  private channel = 0;
  private readonly stage = h('div', { class: 'argmax-stage' });

  constructor(
    private readonly geometry: WindowGeometry,
    private readonly input: TensorData,
    private readonly output: TensorData,
    private readonly argmax: Int32Array,
    private readonly size: number,
  ) {
    const channels = planeLayout(input.shape).planes;
    const options = Array.from({ length: channels }, (_, c) => [String(c), `channel ${c}`] as const);
    this.element = h(
      'div',
      { class: 'argmax' },
      h(
        'p',
        { class: 'dims' },
        `${geometry.h.kernel} × ${geometry.w.kernel} windows, stride ${geometry.h.stride} × ${geometry.w.stride}: each marker is the input element a window's output copies.`,
      ),
      h(
        'div',
        { class: 'controls' },
        labelled(
          'Channel',
          select(options, '0', (v) => ((this.channel = Number(v)), this.render())),
        ),
      ),
      this.stage,
    );
    this.render();
  }

  private render(): void {
    const inLayout = planeLayout(this.input.shape);
    const outLayout = planeLayout(this.output.shape);
    const [lo, hi] = combinedRange(tensorStats(this.input.shape, this.input.data));
    const scale = scaleFor(lo, hi);
    const inPlane = inLayout.height * inLayout.width;
    const outPlane = outLayout.height * outLayout.width;
    const zoomed = zoomedPlane(this.input.data, this.channel * inPlane, inLayout.height, inLayout.width, scale, this.size * 3);
    const { ctx, zoom } = zoomed;
    const colour = markerColour();
    // Window outlines (faint), then the argmax markers.
    ctx.strokeStyle = colour;
    ctx.globalAlpha = 0.35;
    ctx.lineWidth = 1;
    const g = this.geometry;
    for (let oh = 0; oh < outLayout.height; oh++) {
      for (let ow = 0; ow < outLayout.width; ow++) {
        const top = oh * g.h.stride - g.h.padBefore,
          left = ow * g.w.stride - g.w.padBefore;
        const p = zoomed.at(top, left);
        ctx.strokeRect(p.x + 0.5, p.y + 0.5, g.w.effectiveKernel * zoom - 1, g.h.effectiveKernel * zoom - 1);
      }
    }
    ctx.globalAlpha = 1;
    ctx.fillStyle = colour;
    const radius = Math.max(1.5, zoom * 0.22);
    for (let o = 0; o < outPlane; o++) {
      const index = this.argmax[this.channel * outPlane + o];
      if (index === undefined) continue;
      const p = zoomed.at(Math.floor(index / inLayout.width), index % inLayout.width);
      ctx.beginPath();
      ctx.arc(p.x + zoom / 2, p.y + zoom / 2, radius, 0, 2 * Math.PI);
      ctx.fill();
    }
    const [olo, ohi] = combinedRange(tensorStats(this.output.shape, this.output.data));
    const out = zoomedPlane(
      this.output.data,
      this.channel * outPlane,
      outLayout.height,
      outLayout.width,
      scaleFor(olo, ohi),
      this.size * 1.5,
    );
    this.stage.replaceChildren(
      h('figure', {}, zoomed.canvas, h('figcaption', {}, `input channel ${this.channel}: windows and their maxima`)),
      h('figure', {}, out.canvas, h('figcaption', {}, `output channel ${this.channel}`)),
      legend(scale, 'input value'),
    );
  }
}
