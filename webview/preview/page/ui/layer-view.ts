// The right-hand side of the preview: the chosen layer's header (name, kind, shape, time), the
// tabs of the views it has (activations; im2col for conv2d; argmax for maxpool2d; gradient where
// a backward path to the input exists), and the chosen view.

import type { FailureReason, HeatmapStats, PreviewView } from '../../../../src/shared/preview-messages';
import type { SaliencyTarget } from '../../protocol';
import type { LayerInfo, TensorData } from '../../protocol';
import { activationsView } from './activations';
import { ArgmaxPanel } from './argmax-panel';
import { h } from '../../../shared/dom';
import { formatMs, formatShape } from '../format';
import { GradientPanel, type SaliencyReply } from './gradient-panel';
import { Im2colPanel } from './im2col-panel';

/** What the worker sends for a layer: batch item 0 of its output, and for conv/pool its input. */
export interface Detail {
  output: TensorData;
  input?: TensorData;
  argmax?: Int32Array;
}

export interface LayerViewData {
  name: string;
  /** Undefined for the model input. */
  info: LayerInfo | undefined;
  stats: readonly HeatmapStats[];
  ms: number | undefined;
  detail: Detail;
}

export interface LayerViewServices {
  selectView(layer: string, view: PreviewView): void;
  modelInput(): Promise<TensorData>;
  saliency(target: SaliencyTarget): Promise<SaliencyReply>;
}

const VIEW_LABELS: Record<PreviewView, string> = { activations: 'Activations', im2col: 'im2col', argmax: 'Argmax', gradient: 'Gradient' };

/** The views a layer offers. */
export function viewsOf(info: LayerInfo | undefined): PreviewView[] {
  const views: PreviewView[] = ['activations'];
  if (info?.im2col) views.push('im2col');
  if (info?.pool) views.push('argmax');
  if (info?.saliency) views.push('gradient');
  return views;
}

export function failureTitle(reason: FailureReason): string {
  switch (reason) {
    case 'analysis':
      return 'The model cannot run yet';
    case 'memory':
      return 'Over the memory budget';
    case 'input':
      return 'The input could not be built';
    case 'weights':
      return 'The weights do not fit';
    case 'engine':
      return 'The engine stopped';
    case 'cancelled':
      return 'Cancelled';
  }
}

export class LayerView {
  private readonly header = h('div', { class: 'detail-header' });
  private readonly tabs = h('div', { class: 'tabs', attrs: { role: 'tablist' } });
  private readonly view = h('div', { class: 'view', attrs: { role: 'tabpanel' } });
  readonly element = h('section', { class: 'detail', attrs: { 'aria-live': 'polite' } }, this.header, this.tabs, this.view);
  /** A view with a timer (the im2col animation) to stop when it goes. */
  private live: { dispose(): void } | undefined;

  constructor(private readonly services: LayerViewServices) {}

  /** Draws `view` (or activations, when the layer has no such view); returns the view drawn. */
  draw(data: LayerViewData, view: PreviewView, size: number): PreviewView {
    const { name, info, stats, detail } = data;
    const views = viewsOf(info);
    const shown = views.includes(view) ? view : 'activations';
    this.dispose();
    const batch = detail.output.shape[0] ?? 1;
    this.header.replaceChildren(
      h('h2', {}, name, h('span', { class: 'kind' }, info?.kind ?? 'model input')),
      h(
        'span',
        { class: 'facts' },
        `output ${formatShape(detail.output.displayShape)}${batch > 1 ? ' (batch item 0 shown)' : ''}${data.ms !== undefined ? ` · ${formatMs(data.ms)}` : ''}`,
      ),
    );
    this.tabs.replaceChildren(
      ...views.map((v) =>
        h(
          'button',
          {
            class: v === shown ? 'tab selected' : 'tab',
            attrs: { type: 'button', role: 'tab', 'aria-selected': String(v === shown), 'data-view': v },
            on: { click: () => this.services.selectView(name, v) },
          },
          VIEW_LABELS[v],
        ),
      ),
    );
    if (shown === 'im2col' && info?.im2col && detail.input) {
      const panel = new Im2colPanel(info.im2col, detail.input, detail.output, size);
      this.live = panel;
      this.view.replaceChildren(panel.element);
    } else if (shown === 'argmax' && info?.pool && detail.input && detail.argmax) {
      this.view.replaceChildren(new ArgmaxPanel(info.pool, detail.input, detail.output, detail.argmax, size).element);
    } else if (shown === 'gradient') {
      this.view.replaceChildren(
        new GradientPanel(name, detail.output, stats, this.services.modelInput, this.services.saliency, size).element,
      );
    } else {
      this.view.replaceChildren(activationsView(detail.output, stats, { size }));
    }
    return shown;
  }

  showFailure(reason: FailureReason, text: string): void {
    this.dispose();
    this.header.replaceChildren(h('h2', {}, failureTitle(reason)));
    this.tabs.replaceChildren();
    this.view.replaceChildren(h('p', { class: 'error', attrs: { 'data-reason': reason } }, text));
  }

  showError(text: string): void {
    this.dispose();
    this.view.replaceChildren(h('p', { class: 'error' }, text));
  }

  dispose(): void {
    this.live?.dispose();
    this.live = undefined;
  }
}
