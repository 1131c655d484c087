// The activations view of a layer: one heatmap per channel of batch item 0 on a shared colour
// scale (so channels compare), the legend with the value range, a histogram of all values, and for
// [N, F] outputs the largest entries.

import type { HeatmapStats } from '../../../../src/shared/preview-messages';
import { formatValue } from '../colour';
import { combinedRange, histogram, planeLayout } from '../../stats';
import type { TensorData } from '../../protocol';
import { heatmapCanvas, histogramCanvas, legend, scaleFor } from './canvas';
import { h } from '../../../shared/dom';

/** Channels drawn at most; the rest are summarized in a note. */
export const MAX_CHANNELS = 256;

export interface ActivationsOptions {
  /** Longest side of a heatmap, in CSS pixels. */
  size: number;
  /** Called when the user clicks a heatmap cell (channel, row, column). */
  onPick?: (channel: number, row: number, col: number) => void;
}

export function summaryLine(stats: readonly HeatmapStats[]): string {
  const [lo, hi] = combinedRange(stats);
  const nonZero = stats.reduce((a, s) => a + s.nonZero, 0);
  const count = stats.reduce((a, s) => a + s.count, 0);
  const share = count === 0 ? 0 : (100 * nonZero) / count;
  return `min ${formatValue(lo)} · max ${formatValue(hi)} · non-zero ${nonZero.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} (${share.toFixed(share < 10 ? 1 : 0)}%)`;
}

/** Translates a click on a heatmap canvas to the cell under it. */
export function cellAt(canvas: HTMLCanvasElement, event: MouseEvent): { row: number; col: number } {
  const rect = canvas.getBoundingClientRect();
  const col = Math.min(canvas.width - 1, Math.max(0, Math.floor(((event.clientX - rect.left) / rect.width) * canvas.width)));
  const row = Math.min(canvas.height - 1, Math.max(0, Math.floor(((event.clientY - rect.top) / rect.height) * canvas.height)));
  return { row, col };
}

export function activationsView(tensor: TensorData, stats: readonly HeatmapStats[], options: ActivationsOptions): HTMLElement {
  const layout = planeLayout(tensor.shape);
  const [lo, hi] = combinedRange(stats);
  const scale = scaleFor(lo, hi);
  const plane = layout.height * layout.width;
  const shown = Math.min(layout.planes, MAX_CHANNELS);
  const grid = h('div', { class: layout.height === 1 ? 'heatmap-grid vectors' : 'heatmap-grid', attrs: { 'data-testid': 'heatmaps' } });
  for (let c = 0; c < shown; c++) {
    const s = stats[c];
    const canvas = heatmapCanvas(tensor.data, c * plane, layout.height, layout.width, scale, options.size);
    canvas.dataset['channel'] = String(c);
    if (s) {
      canvas.dataset['min'] = String(s.min);
      canvas.dataset['max'] = String(s.max);
      canvas.dataset['nonZero'] = String(s.nonZero);
    }
    const caption = layout.planes === 1 && tensor.shape.length === 2 ? `${layout.width} features` : `c${c}`;
    canvas.title = s ? `${caption}: ${formatValue(s.min)} … ${formatValue(s.max)}, ${s.nonZero} of ${s.count} non-zero` : caption;
    if (options.onPick) {
      const pick = options.onPick;
      canvas.classList.add('pickable');
      canvas.addEventListener('click', (event) => {
        const { row, col } = cellAt(canvas, event);
        pick(c, row, col);
      });
    }
    grid.append(h('figure', { class: 'heatmap-cell' }, canvas, h('figcaption', {}, caption)));
  }
  const hist = histogram(tensor.data, 0, layout.itemSize, 48, lo, hi);
  const parts: (HTMLElement | false)[] = [
    h('p', { class: 'summary' }, summaryLine(stats)),
    h(
      'div',
      { class: 'scale-row' },
      legend(scale, 'value (batch item 0, shared scale)'),
      histogramCanvas(hist, `histogram of ${layout.itemSize} values from ${formatValue(lo)} to ${formatValue(hi)}`),
    ),
    shown < layout.planes && h('p', { class: 'note' }, `Showing the first ${shown} of ${layout.planes} channels.`),
    grid,
  ];
  if (tensor.shape.length === 2) parts.push(topEntries(tensor.data, 5));
  return h('div', { class: 'activations' }, ...parts.filter((p): p is HTMLElement => p !== false));
}

/** The k largest entries of a vector (class scores, for a classifier's last layer). */
function topEntries(data: Float32Array, k: number): HTMLElement {
  const order = Array.from(data.keys())
    .sort((a, b) => data[b]! - data[a]!)
    .slice(0, k);
  return h(
    'table',
    { class: 'top' },
    h('caption', {}, `Largest ${order.length} of ${data.length}`),
    h('tr', {}, h('th', {}, 'index'), h('th', {}, 'value')),
    ...order.map((i) => h('tr', {}, h('td', {}, String(i)), h('td', {}, formatValue(data[i]!)))),
  );
}
