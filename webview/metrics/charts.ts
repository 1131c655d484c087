// Precision–recall charts with Chart.js. Only the pieces a line chart on two linear axes needs are
// registered (tree-shaken into this bundle); animations are off so a chart is drawn when its
// constructor returns. Colours come from the theme's CSS variables and are read again when the
// theme changes (the page rebuilds its charts then).

import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset, type TooltipItem } from 'chart.js';
import type { ChartPoint, Series } from './chart-data';
import { themeColour } from '../shared/dom';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

export type PrChart = Chart<'line', ChartPoint[]>;

function dataset(series: Series): ChartDataset<'line', ChartPoint[]> {
  const colour = themeColour(series.colourVar);
  return {
    label: series.label,
    data: series.points,
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: series.width,
    borderDash: series.dashed ? [6, 3] : [],
    pointRadius: 0,
    pointHoverRadius: 3,
    stepped: series.stepped ? 'before' : false,
    tension: 0,
  };
}

/** Draws a PR chart on `canvas` (which must be in the document, with its final size). */
export function prChart(canvas: HTMLCanvasElement, series: readonly Series[]): PrChart {
  const foreground = themeColour('--vscode-charts-foreground');
  const grid = themeColour('--vscode-charts-lines');
  const axis = (title: string) => ({
    type: 'linear' as const,
    min: 0,
    max: 1,
    title: { display: true, text: title, color: foreground, padding: 0 },
    ticks: { color: foreground, stepSize: 0.2, maxRotation: 0 },
    grid: { color: grid },
    border: { color: grid },
  });
  return new Chart<'line', ChartPoint[]>(canvas, {
    type: 'line',
    data: { datasets: series.map(dataset) },
    options: {
      animation: false,
      responsive: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: { x: axis('recall'), y: { ...axis('precision'), max: 1.0001 } },
      plugins: {
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'line'>) => {
              const point = item.raw as ChartPoint;
              const score = point.score !== undefined && point.score > 0 ? `, score ≥ ${point.score.toFixed(3)}` : '';
              return `${item.dataset.label ?? ''}: precision ${point.y.toFixed(3)} at recall ${point.x.toFixed(2)}${score}`;
            },
          },
        },
      },
    },
  });
}

/** Whether anything but the background was painted (for the page's own report). */
export function canvasHasInk(canvas: HTMLCanvasElement): boolean {
  const ctx = canvas.getContext('2d');
  if (ctx === null || canvas.width === 0 || canvas.height === 0) return false;
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < data.length; i += 4) if ((data[i] as number) !== 0) return true;
  return false;
}
