// Drawing on canvases: heatmaps (one pixel per value, enlarged by CSS with crisp pixels), the
// colour legend with its value range, histograms, and enlarged planes with overlays.

import { formatValue, LUT_SIZE, makeColourScale, paint, type ColourScale } from '../colour';
import type { Histogram } from '../../stats';
import { cssVar, h, themeKind } from '../../../shared/dom';

function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d', { willReadFrequently: false });
  if (ctx === null) throw new Error('this webview cannot draw on a canvas');
  return ctx;
}

/** Display size in CSS pixels for a plane: integer zoom up to `target` on the longer side. */
export function displaySize(height: number, width: number, target: number): { width: number; height: number } {
  const longer = Math.max(height, width);
  if (height === 1) return { width: Math.min(target * 3, Math.max(width * 12, target)), height: 20 };
  const zoom = longer >= target ? target / longer : Math.max(1, Math.round(target / longer));
  return { width: Math.round(width * zoom), height: Math.round(height * zoom) };
}

/** A canvas holding one plane, one canvas pixel per value. */
export function heatmapCanvas(
  data: ArrayLike<number>,
  offset: number,
  height: number,
  width: number,
  scale: ColourScale,
  target: number,
): HTMLCanvasElement {
  const canvas = h('canvas', { class: 'heatmap' });
  canvas.width = width;
  canvas.height = height;
  const image = new ImageData(width, height);
  paint(data, offset, height, width, scale, image.data);
  context2d(canvas).putImageData(image, 0, 0);
  const size = displaySize(height, width, target);
  canvas.style.width = `${size.width}px`;
  canvas.style.height = `${size.height}px`;
  return canvas;
}

/** The colour bar with the value range: lo, 0 (diverging scales) and hi. */
export function legend(scale: ColourScale, caption: string): HTMLElement {
  const bar = h('canvas', { class: 'legend-bar', attrs: { 'aria-hidden': 'true' } });
  bar.width = LUT_SIZE;
  bar.height = 1;
  const image = new ImageData(LUT_SIZE, 1);
  for (let i = 0; i < LUT_SIZE; i++) {
    image.data[4 * i] = scale.lut[3 * i]!;
    image.data[4 * i + 1] = scale.lut[3 * i + 1]!;
    image.data[4 * i + 2] = scale.lut[3 * i + 2]!;
    image.data[4 * i + 3] = 255;
  }
  context2d(bar).putImageData(image, 0, 0);
  const ticks =
    scale.kind === 'constant'
      ? [h('span', {}, `all values ${formatValue(scale.lo)}`)]
      : scale.kind === 'diverging'
        ? [h('span', {}, formatValue(scale.lo)), h('span', {}, '0'), h('span', {}, formatValue(scale.hi))]
        : [h('span', {}, formatValue(scale.lo)), h('span', {}, formatValue(scale.hi))];
  return h(
    'div',
    {
      class: 'legend',
      attrs: { role: 'img', 'aria-label': `${caption}: colour scale from ${formatValue(scale.lo)} to ${formatValue(scale.hi)}` },
    },
    h('div', { class: 'legend-caption' }, caption),
    bar,
    h('div', { class: 'legend-ticks' }, ...ticks),
  );
}

export function scaleFor(lo: number, hi: number): ColourScale {
  return makeColourScale(lo, hi, themeKind());
}

/** Sizes a canvas for crisp drawing at the device pixel ratio; returns the context in CSS pixels. */
export function hidpi(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): CanvasRenderingContext2D {
  const ratio = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  canvas.width = Math.round(cssWidth * ratio);
  canvas.height = Math.round(cssHeight * ratio);
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  const ctx = context2d(canvas);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

function font(): string {
  return `11px ${cssVar('--vscode-font-family', 'sans-serif')}`;
}

/** Bars of a histogram, with the value range and the tallest count on the axes. */
export function histogramCanvas(hist: Histogram, caption: string): HTMLCanvasElement {
  const canvas = h('canvas', { class: 'histogram', attrs: { role: 'img', 'aria-label': caption } });
  const width = 320,
    height = 130,
    left = 40,
    bottom = 18,
    top = 6,
    right = 8;
  const ctx = hidpi(canvas, width, height);
  const fg = cssVar('--vscode-editor-foreground', '#333');
  const bar = cssVar('--vscode-charts-blue', cssVar('--vscode-focusBorder', '#3794ff'));
  const grid = cssVar('--vscode-editorWidget-border', '#888');
  const counts = hist.counts;
  let peak = 0;
  for (const c of counts) peak = Math.max(peak, c);
  const plotW = width - left - right,
    plotH = height - top - bottom;
  ctx.strokeStyle = grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(left - 0.5, top);
  ctx.lineTo(left - 0.5, top + plotH + 0.5);
  ctx.lineTo(left + plotW, top + plotH + 0.5);
  ctx.stroke();
  ctx.fillStyle = bar;
  const binW = plotW / Math.max(1, counts.length);
  counts.forEach((c, i) => {
    if (c === 0 || peak === 0) return;
    // Square-root heights keep a huge bin (the zeros after a ReLU) from flattening the rest.
    const barH = Math.max(1, (Math.sqrt(c) / Math.sqrt(peak)) * plotH);
    ctx.fillRect(left + i * binW, top + plotH - barH, Math.max(1, binW - 1), barH);
  });
  ctx.fillStyle = fg;
  ctx.font = font();
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(formatValue(hist.lo), left, top + plotH + 4);
  ctx.textAlign = 'right';
  ctx.fillText(formatValue(hist.hi), left + plotW, top + plotH + 4);
  ctx.textBaseline = 'middle';
  ctx.fillText(String(peak), left - 4, top + 4);
  ctx.fillText('0', left - 4, top + plotH);
  return canvas;
}

/** A plane drawn enlarged by an integer zoom, with a margin of `pad` cells around it (padding). */
export interface ZoomedPlane {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  zoom: number;
  /** Canvas pixel of cell (row, col) of the plane (row/col may be negative: in the padding). */
  at(row: number, col: number): { x: number; y: number };
}

export function zoomedPlane(
  data: ArrayLike<number>,
  offset: number,
  height: number,
  width: number,
  scale: ColourScale,
  target: number,
  pad: { top: number; left: number; bottom: number; right: number } = { top: 0, left: 0, bottom: 0, right: 0 },
): ZoomedPlane {
  const rows = height + pad.top + pad.bottom,
    cols = width + pad.left + pad.right;
  const zoom = Math.max(2, Math.floor(target / Math.max(rows, cols)));
  const canvas = h('canvas', { class: 'zoomed' });
  canvas.width = cols * zoom;
  canvas.height = rows * zoom;
  const ctx = context2d(canvas);
  ctx.imageSmoothingEnabled = false;
  // Padding: a hatch of the theme's border colour, so it reads as "not the input".
  ctx.fillStyle = cssVar('--vscode-editorWidget-background', '#eee');
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = cssVar('--vscode-editorWidget-border', '#999');
  ctx.lineWidth = 1;
  for (let d = -canvas.height; d < canvas.width; d += 6) {
    ctx.beginPath();
    ctx.moveTo(d, canvas.height);
    ctx.lineTo(d + canvas.height, 0);
    ctx.stroke();
  }
  const plane = document.createElement('canvas');
  plane.width = width;
  plane.height = height;
  const image = new ImageData(width, height);
  paint(data, offset, height, width, scale, image.data);
  context2d(plane).putImageData(image, 0, 0);
  ctx.drawImage(plane, pad.left * zoom, pad.top * zoom, width * zoom, height * zoom);
  return { canvas, ctx, zoom, at: (row, col) => ({ x: (col + pad.left) * zoom, y: (row + pad.top) * zoom }) };
}

/** The colour that stands out on both scales (and both themes) for outlines and markers. */
export function markerColour(): string {
  return cssVar('--vscode-editorError-foreground', '#f14c4c');
}
