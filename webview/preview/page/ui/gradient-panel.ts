// The gradient view: choose a unit of the layer (a whole channel, or one pixel of it, or a feature
// of a vector) and see |dL/dx| on the model input for L = that unit, from the engine's backward
// kernels (computed in the worker).

import type { HeatmapStats } from '../../../../src/shared/preview-messages';
import { formatValue } from '../colour';
import type { SaliencyResult, SaliencyTarget } from '../../protocol';
import { combinedRange, planeLayout, tensorStats } from '../../stats';
import type { TensorData } from '../../protocol';
import { cellAt } from './activations';
import { heatmapCanvas, legend, markerColour, scaleFor } from './canvas';
import { h, labelled, select } from '../../../shared/dom';
import { formatMs } from '../format';

export interface SaliencyReply {
  result: SaliencyResult;
  ms: number;
}

export class GradientPanel {
  readonly element: HTMLElement;
  private channel = 0;
  private pixel: [number, number] | undefined;
  private readonly unitView = h('div', { class: 'gradient-unit' });
  private readonly resultView = h('div', { class: 'gradient-result', attrs: { 'aria-live': 'polite' } });
  private request = 0;

  constructor(
    private readonly layer: string,
    private readonly output: TensorData,
    private readonly stats: readonly HeatmapStats[],
    private readonly modelInput: () => Promise<TensorData>,
    private readonly saliency: (target: SaliencyTarget) => Promise<SaliencyReply>,
    private readonly size: number,
  ) {
    const layout = planeLayout(output.shape);
    const vector = output.shape.length === 2;
    const units = vector ? layout.width : layout.planes;
    const options = Array.from({ length: units }, (_, c) => [String(c), vector ? `feature ${c}` : `channel ${c}`] as const);
    const modes: [string, string][] = [
      ['channel', 'whole channel (sum)'],
      ['pixel', 'one pixel (click the map)'],
    ];
    const controls = h(
      'div',
      { class: 'controls' },
      labelled(
        vector ? 'Feature' : 'Channel',
        select(options, '0', (v) => this.choose(Number(v), undefined)),
      ),
      !vector &&
        labelled(
          'Unit',
          select(modes, 'channel', (v) =>
            this.choose(this.channel, v === 'pixel' ? [Math.floor(layout.height / 2), Math.floor(layout.width / 2)] : undefined),
          ),
        ),
    );
    this.element = h(
      'div',
      { class: 'gradient' },
      h(
        'p',
        { class: 'dims' },
        'Saliency |∂L/∂x| on the input, where L is the chosen unit of this layer (batch item 0), through the engine’s backward pass.',
      ),
      controls,
      h('div', { class: 'gradient-stage' }, this.unitView, this.resultView),
    );
    this.choose(0, undefined);
  }

  private choose(channel: number, pixel: [number, number] | undefined): void {
    this.channel = channel;
    this.pixel = pixel;
    this.renderUnit();
    void this.compute();
  }

  private renderUnit(): void {
    if (this.output.shape.length === 2) {
      this.unitView.replaceChildren(this.vectorUnit());
      return;
    }
    const layout = planeLayout(this.output.shape);
    const [lo, hi] = combinedRange(this.stats);
    const canvas = heatmapCanvas(
      this.output.data,
      this.channel * layout.height * layout.width,
      layout.height,
      layout.width,
      scaleFor(lo, hi),
      this.size * 2,
    );
    canvas.classList.add('pickable');
    canvas.addEventListener('click', (event) => {
      const { row, col } = cellAt(canvas, event);
      this.choose(this.channel, [row, col]);
    });
    const figure = h('figure', { class: 'unit-map' }, canvas);
    if (this.pixel) {
      // Mark the pixel with an outline element over the canvas (the canvas keeps its values).
      const marker = h('div', { class: 'unit-marker' });
      const cssW = parseFloat(canvas.style.width),
        cssH = parseFloat(canvas.style.height);
      marker.style.left = `${(this.pixel[1] / layout.width) * cssW}px`;
      marker.style.top = `${(this.pixel[0] / layout.height) * cssH}px`;
      marker.style.width = `${cssW / layout.width}px`;
      marker.style.height = `${cssH / layout.height}px`;
      marker.style.borderColor = markerColour();
      figure.append(marker);
    }
    figure.append(
      h(
        'figcaption',
        {},
        this.pixel ? `${this.layer}[${this.channel}, ${this.pixel[0]}, ${this.pixel[1]}]` : `${this.layer}[${this.channel}, :, :] (summed)`,
      ),
    );
    this.unitView.replaceChildren(figure);
  }

  /** A vector output: its features as a strip, the chosen one outlined. */
  private vectorUnit(): HTMLElement {
    const width = this.output.data.length;
    const [lo, hi] = combinedRange(this.stats);
    const canvas = heatmapCanvas(this.output.data, 0, 1, width, scaleFor(lo, hi), this.size * 2);
    const figure = h('figure', { class: 'unit-map' }, canvas);
    const marker = h('div', { class: 'unit-marker' });
    const cssW = parseFloat(canvas.style.width),
      cssH = parseFloat(canvas.style.height);
    marker.style.left = `${(this.channel / width) * cssW}px`;
    marker.style.top = '0px';
    marker.style.width = `${cssW / width}px`;
    marker.style.height = `${cssH}px`;
    marker.style.borderColor = markerColour();
    figure.append(marker, h('figcaption', {}, `${this.layer}[${this.channel}] = ${formatValue(this.output.data[this.channel] ?? NaN)}`));
    return figure;
  }

  private async compute(): Promise<void> {
    const request = ++this.request;
    this.resultView.replaceChildren(h('p', { class: 'status' }, 'Computing the backward pass…'));
    const target: SaliencyTarget = { layer: this.layer, channel: this.channel, ...(this.pixel ? { pixel: this.pixel } : {}) };
    try {
      const [reply, input] = await Promise.all([this.saliency(target), this.modelInput()]);
      if (request !== this.request) return;
      this.resultView.replaceChildren(this.renderResult(reply, input));
    } catch (error) {
      if (request !== this.request) return;
      this.resultView.replaceChildren(h('p', { class: 'error' }, error instanceof Error ? error.message : String(error)));
    }
  }

  private renderResult(reply: SaliencyReply, input: TensorData): HTMLElement {
    const { result } = reply;
    const [, channels = 1, height = 1, width = 1] = result.shape;
    const plane = height * width;
    // One map: the largest |∂L/∂x| over the input channels at each pixel.
    const map = new Float32Array(plane);
    for (let c = 0; c < channels; c++) for (let i = 0; i < plane; i++) map[i] = Math.max(map[i]!, result.magnitude[c * plane + i]!);
    const scale = scaleFor(0, result.max);
    const saliency = heatmapCanvas(map, 0, height, width, scale, this.size * 2);
    saliency.classList.add('saliency');
    saliency.dataset['max'] = String(result.max);
    const overlay = this.overlay(input, map, result.max);
    const [ilo, ihi] = combinedRange(tensorStats(input.shape, input.data));
    return h(
      'div',
      {},
      h(
        'div',
        { class: 'gradient-maps' },
        h('figure', {}, saliency, h('figcaption', {}, 'max over input channels of |∂L/∂x|')),
        overlay &&
          h('figure', {}, overlay, h('figcaption', {}, `the input (${formatValue(ilo)} … ${formatValue(ihi)}) with the saliency in red`)),
      ),
      legend(scale, '|∂L/∂x|'),
      h(
        'p',
        { class: 'summary' },
        `L = ${formatValue(result.value)} · max |∂L/∂x| = ${formatValue(result.max)} · backward in ${formatMs(reply.ms)}`,
      ),
    );
  }

  /** The input in grey with the saliency blended in red, so the two line up at a glance. */
  private overlay(input: TensorData, map: Float32Array, max: number): HTMLCanvasElement | undefined {
    const layout = planeLayout(input.shape);
    const plane = layout.height * layout.width;
    if (plane !== map.length) return undefined;
    const grey = new Float32Array(plane);
    for (let c = 0; c < layout.planes; c++) for (let i = 0; i < plane; i++) grey[i] = grey[i]! + input.data[c * plane + i]! / layout.planes;
    let lo = Infinity,
      hi = -Infinity;
    for (const v of grey) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const canvas = h('canvas', { class: 'heatmap overlay' });
    canvas.width = layout.width;
    canvas.height = layout.height;
    const image = new ImageData(layout.width, layout.height);
    for (let i = 0; i < plane; i++) {
      const g = hi > lo ? ((grey[i]! - lo) / (hi - lo)) * 200 + 30 : 128;
      const a = max > 0 ? 0.9 * (map[i]! / max) : 0;
      image.data[4 * i] = g * (1 - a) + 230 * a;
      image.data[4 * i + 1] = g * (1 - a) + 30 * a;
      image.data[4 * i + 2] = g * (1 - a) + 30 * a;
      image.data[4 * i + 3] = 255;
    }
    canvas.getContext('2d')?.putImageData(image, 0, 0);
    const longer = Math.max(layout.width, layout.height);
    const zoom = longer >= this.size * 2 ? (this.size * 2) / longer : Math.max(1, Math.floor((this.size * 2) / longer));
    canvas.style.width = `${Math.round(layout.width * zoom)}px`;
    canvas.style.height = `${Math.round(layout.height * zoom)}px`;
    return canvas;
  }
}
