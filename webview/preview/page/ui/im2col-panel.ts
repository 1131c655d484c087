// The im2col view of a conv layer: the sliding window over the (padded) input, the row of the
// column matrix it produces (gathered by the engine's im2col), and the output element that row
// yields; stepped with buttons, a slider, or animated.

import { formatValue } from '../colour';
import { formatIm2colDims, im2colRow, rowPosition, windowTaps, type Im2colShape } from '../../im2col-view';
import { combinedRange, planeLayout, tensorStats } from '../../stats';
import type { TensorData } from '../../protocol';
import { hidpi, legend, markerColour, scaleFor, zoomedPlane } from './canvas';
import { button, h, labelled, select } from '../../../shared/dom';

const STEP_MS = 160;

export class Im2colPanel {
  readonly element: HTMLElement;
  private row = 0;
  private channel = 0;
  private outChannel = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly stage = h('div', { class: 'im2col-stage' });
  private readonly position = h('span', { class: 'position' });
  private readonly slider: HTMLInputElement;
  private readonly playButton: HTMLButtonElement;
  /** Rows of batch item 0 (the only item the page holds). */
  private readonly itemRows: number;

  constructor(
    private readonly shape: Im2colShape,
    private readonly input: TensorData,
    private readonly output: TensorData,
    private readonly size: number,
  ) {
    this.itemRows = shape.outputH * shape.outputW;
    this.slider = h('input', {
      attrs: { type: 'range', min: '0', max: String(this.itemRows - 1), value: '0', 'aria-label': 'matrix row' },
    });
    this.slider.addEventListener('input', () => this.go(Number(this.slider.value)));
    this.playButton = button('▶ Play', () => this.togglePlay(), { class: 'secondary', attrs: { 'aria-label': 'animate the window' } });
    const channelOptions = Array.from({ length: shape.channels }, (_, c) => [String(c), `input channel ${c}`] as const);
    const outChannels = planeLayout(output.shape).planes;
    const outOptions = Array.from({ length: outChannels }, (_, c) => [String(c), `output channel ${c}`] as const);
    this.element = h(
      'div',
      { class: 'im2col' },
      h('p', { class: 'dims' }, `col matrix: ${formatIm2colDims(shape)}`),
      h(
        'div',
        { class: 'controls' },
        button('|◀', () => this.go(0), { class: 'secondary', title: 'first row', attrs: { 'aria-label': 'first row' } }),
        button('◀', () => this.go(this.row - 1), { class: 'secondary', title: 'previous row', attrs: { 'aria-label': 'previous row' } }),
        this.playButton,
        button('▶', () => this.go(this.row + 1), { class: 'secondary', title: 'next row', attrs: { 'aria-label': 'next row' } }),
        this.slider,
        this.position,
        labelled(
          'Show',
          select(channelOptions, '0', (v) => ((this.channel = Number(v)), this.render())),
        ),
        labelled(
          'Output',
          select(outOptions, '0', (v) => ((this.outChannel = Number(v)), this.render())),
        ),
      ),
      this.stage,
    );
    this.render();
  }

  private go(row: number): void {
    this.row = ((row % this.itemRows) + this.itemRows) % this.itemRows;
    this.slider.value = String(this.row);
    this.render();
  }

  private togglePlay(): void {
    if (this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.playButton.textContent = '▶ Play';
      return;
    }
    this.playButton.textContent = '⏸ Pause';
    this.timer = setInterval(() => this.go(this.row + 1), STEP_MS);
  }

  dispose(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private render(): void {
    const s = this.shape;
    const { n, oh, ow } = rowPosition(s, this.row);
    const group = Math.floor(this.channel / s.channelsPerGroup);
    const values = im2colRow(s, this.input.data, group, oh, ow);
    this.position.textContent = `row ${this.row} of ${s.rows} = (n ${n}, oh ${oh}, ow ${ow})${s.groups > 1 ? `, group ${group}` : ''}`;

    const [lo, hi] = combinedRange(tensorStats(this.input.shape, this.input.data));
    const scale = scaleFor(lo, hi);
    const { h: gh, w: gw } = s.geometry;
    const plane = s.inputH * s.inputW;
    const padded = zoomedPlane(this.input.data, this.channel * plane, s.inputH, s.inputW, scale, this.size * 2.4, {
      top: gh.padBefore,
      left: gw.padBefore,
      bottom: gh.padAfter,
      right: gw.padAfter,
    });
    const taps = windowTaps(s, oh, ow);
    const ctx = padded.ctx;
    const z = padded.zoom;
    ctx.strokeStyle = markerColour();
    ctx.lineWidth = Math.max(1, Math.min(2, z / 6));
    for (const r of taps.rows)
      for (const c of taps.cols) {
        const p = padded.at(r, c);
        ctx.strokeRect(p.x + 0.5, p.y + 0.5, z - 1, z - 1);
      }
    const first = padded.at(taps.rows[0]!, taps.cols[0]!);
    const last = padded.at(taps.rows[taps.rows.length - 1]!, taps.cols[taps.cols.length - 1]!);
    ctx.lineWidth = 2;
    ctx.strokeRect(first.x - 1, first.y - 1, last.x - first.x + z + 2, last.y - first.y + z + 2);

    const outLayout = planeLayout(this.output.shape);
    const outPlane = outLayout.height * outLayout.width;
    const [olo, ohi] = combinedRange(tensorStats(this.output.shape, this.output.data));
    const out = zoomedPlane(
      this.output.data,
      this.outChannel * outPlane,
      outLayout.height,
      outLayout.width,
      scaleFor(olo, ohi),
      this.size * 1.6,
    );
    const cell = out.at(oh, ow);
    out.ctx.strokeStyle = markerColour();
    out.ctx.lineWidth = 2;
    out.ctx.strokeRect(cell.x - 1, cell.y - 1, out.zoom + 2, out.zoom + 2);
    const y = this.output.data[this.outChannel * outPlane + oh * outLayout.width + ow]!;

    const inChannelInGroup = this.channel - group * s.channelsPerGroup;
    this.stage.replaceChildren(
      h(
        'figure',
        { class: 'stage-input' },
        padded.canvas,
        h('figcaption', {}, `input channel ${this.channel} with padding (hatched); the window of output (${oh}, ${ow})`),
      ),
      h(
        'figure',
        { class: 'stage-row' },
        this.rowBlocks(values, scale, inChannelInGroup),
        this.rowStrip(values, scale),
        h(
          'figcaption',
          {},
          `matrix row ${this.row}: ${s.cols} values ordered (c, kh, kw); one ${s.kernelH} × ${s.kernelW} block per input channel of the group`,
        ),
        h('p', { class: 'values' }, `[${Array.from(values.slice(0, 10), formatValue).join(', ')}${values.length > 10 ? ', …' : ''}]`),
        legend(scale, 'input value'),
      ),
      h(
        'figure',
        { class: 'stage-output' },
        out.canvas,
        h('figcaption', {}, `y[${this.outChannel}, ${oh}, ${ow}] = ${formatValue(y)}: this row · filter ${this.outChannel} + bias`),
      ),
    );
  }

  /** The row as one FH × FW block per channel (how the window reads it). */
  private rowBlocks(values: Float32Array, scale: ReturnType<typeof scaleFor>, highlight: number): HTMLCanvasElement {
    const s = this.shape;
    const cell = Math.max(4, Math.min(14, Math.floor(160 / Math.max(s.kernelH, s.kernelW))));
    const gap = 4;
    const blockW = s.kernelW * cell,
      blockH = s.kernelH * cell;
    const perLine = Math.max(1, Math.min(s.channelsPerGroup, Math.floor(360 / (blockW + gap))));
    const lines = Math.ceil(s.channelsPerGroup / perLine);
    const canvas = h('canvas', {
      class: 'row-blocks',
      attrs: { role: 'img', 'aria-label': 'the matrix row as one block per input channel' },
    });
    const width = perLine * (blockW + gap),
      height = lines * (blockH + gap);
    const ctx = hidpi(canvas, width, height);
    for (let c = 0; c < s.channelsPerGroup; c++) {
      const x0 = (c % perLine) * (blockW + gap),
        y0 = Math.floor(c / perLine) * (blockH + gap);
      for (let kh = 0; kh < s.kernelH; kh++) {
        for (let kw = 0; kw < s.kernelW; kw++) {
          const [r, g, b] = scale.colourOf(values[(c * s.kernelH + kh) * s.kernelW + kw]!);
          ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
          ctx.fillRect(x0 + kw * cell, y0 + kh * cell, cell, cell);
        }
      }
      if (c === highlight) {
        ctx.strokeStyle = markerColour();
        ctx.lineWidth = 2;
        ctx.strokeRect(x0 + 1, y0 + 1, blockW - 2, blockH - 2);
      }
    }
    return canvas;
  }

  /** The row as it sits in the matrix: one cell per column. */
  private rowStrip(values: Float32Array, scale: ReturnType<typeof scaleFor>): HTMLCanvasElement {
    const canvas = h('canvas', { class: 'row-strip', attrs: { role: 'img', 'aria-label': 'the matrix row' } });
    canvas.width = values.length;
    canvas.height = 1;
    const ctx = canvas.getContext('2d');
    if (ctx) {
      const image = new ImageData(values.length, 1);
      values.forEach((v, i) => {
        const [r, g, b] = scale.colourOf(v);
        image.data.set([r, g, b, 255], 4 * i);
      });
      ctx.putImageData(image, 0, 0);
    }
    canvas.style.width = `${Math.max(values.length * 4, 120)}px`;
    canvas.style.height = '16px';
    return canvas;
  }
}
