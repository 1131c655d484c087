// The layer list: the input and every layer with its kind, output shape and a progress bar that
// fills as the engine finishes it (then shows its share of the run time). Clicking a layer shows
// it and reveals it in the editor; the editor's cursor selects it from the other side.

import type { LayerInfo } from '../../protocol';
import { h } from '../../../shared/dom';
import { formatMs, formatShape } from '../format';

interface Row {
  item: HTMLLIElement;
  bar: HTMLDivElement;
  time: HTMLSpanElement;
}

export class LayerList {
  readonly element = h('nav', { class: 'layers', attrs: { 'aria-label': 'Layers' } });
  private readonly list = h('ol', { attrs: { role: 'listbox', 'aria-label': 'Layers of the model' } });
  private rows = new Map<string, Row>();
  private order: string[] = [];
  private selected: string | null = null;

  constructor(private readonly onSelect: (name: string) => void) {
    this.element.append(this.list);
    this.list.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** The layers last listed, as a key: a re-run of the same model keeps its rows. */
  private listed = '';
  /** Whether the rows show `selected` (false after they are rebuilt). */
  private selectionShown = false;

  /**
   * Shapes as the model's framework writes them (`layout`: NHWC for TensorFlow.js). A re-run of
   * the same layers resets the rows instead of rebuilding them: rebuilding ResNet-50's 176 rows was
   * a 80–150 ms task on the page's thread just as the worker started the forward pass.
   */
  setLayers(inputShape: readonly number[], layers: readonly LayerInfo[], layout: 'NCHW' | 'NHWC'): void {
    const key = JSON.stringify([layout, inputShape, layers.map((l) => [l.name, l.kind, l.displayShape])]);
    if (key === this.listed) {
      // The last run's times stay, dimmed, until this run's replace them: no text changes, so no
      // layout of the list as the run starts.
      for (const [name, row] of this.rows) {
        row.item.classList.remove('running', 'done');
        row.item.classList.add('pending');
        setBar(row.bar, 0);
        if (name === 'input') this.markDone('input', 0);
      }
      return;
    }
    this.listed = key;
    this.selectionShown = false;
    this.rows.clear();
    this.order = ['input', ...layers.map((l) => l.name)];
    this.list.dataset['layout'] = layout;
    const entries: [string, string, readonly number[]][] = [
      ['input', 'input', inputShape],
      ...layers.map((l): [string, string, readonly number[]] => [l.name, l.kind, l.displayShape]),
    ];
    this.list.replaceChildren(
      ...entries.map(([name, kind, shape]) => {
        const bar = h('div', { class: 'bar', attrs: { 'aria-hidden': 'true' } });
        const time = h('span', { class: 'time' });
        const item = h(
          'li',
          {
            class: 'layer pending',
            title: `${name} (${kind}) → ${formatShape(shape)} ${layout}`,
            attrs: { role: 'option', tabindex: '-1', 'aria-selected': 'false', 'data-layer': name },
            on: { click: () => this.onSelect(name) },
          },
          h('span', { class: 'layer-name' }, name),
          h('span', { class: 'layer-kind' }, kind),
          h('span', { class: 'layer-shape' }, formatShape(shape)),
          time,
          bar,
        );
        this.rows.set(name, { item, bar, time });
        return item;
      }),
    );
    this.markDone('input', 0);
    if (this.selected) this.setSelected(this.selected);
  }

  /** No model to list (it did not analyze). */
  clear(): void {
    this.listed = '';
    this.selectionShown = false;
    this.rows.clear();
    this.order = [];
    this.list.replaceChildren();
  }

  /** The engine is working on this layer. */
  markRunning(name: string): void {
    const row = this.rows.get(name);
    if (!row) return;
    row.item.classList.remove('pending');
    row.item.classList.add('running');
  }

  markDone(name: string, ms: number): void {
    const row = this.rows.get(name);
    if (!row) return;
    row.item.classList.remove('pending', 'running');
    row.item.classList.add('done');
    setBar(row.bar, 1);
    if (name !== 'input') row.time.textContent = formatMs(ms);
  }

  /** After the run: each bar shows the layer's share of the slowest layer's time. */
  setTimings(timings: readonly { name: string; ms: number }[]): void {
    const slowest = Math.max(1e-9, ...timings.map((t) => t.ms));
    for (const t of timings) {
      this.markDone(t.name, t.ms);
      const row = this.rows.get(t.name);
      if (row) setBar(row.bar, Math.max(0.02, t.ms / slowest));
    }
  }

  /** A failed or cancelled run: layers that did not run stay pending. */
  stop(): void {
    for (const row of this.rows.values()) row.item.classList.remove('running');
  }

  setSelected(name: string | null): void {
    // Unchanged (a re-run keeps its rows): no scrollIntoView, which lays the page out at once.
    if (name === this.selected && this.selectionShown) return;
    this.selected = name;
    this.selectionShown = true;
    for (const [layer, row] of this.rows) {
      const on = layer === name;
      row.item.classList.toggle('selected', on);
      row.item.setAttribute('aria-selected', String(on));
      row.item.tabIndex = on ? 0 : -1;
    }
    const row = name === null ? undefined : this.rows.get(name);
    row?.item.scrollIntoView({ block: 'nearest' });
  }

  has(name: string): boolean {
    return this.rows.has(name);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const i = this.selected === null ? -1 : this.order.indexOf(this.selected);
    const next = this.order[Math.max(0, Math.min(this.order.length - 1, i + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (next !== undefined) {
      this.onSelect(next);
      this.rows.get(next)?.item.focus();
    }
  }
}

/**
 * A bar's filled fraction, as the custom property its gradient reads (styles.css `.bar`): a
 * repaint of the bar, with no layout (a width would lay the whole list out again) and no
 * composited layer (a transform's, the old way).
 */
function setBar(bar: HTMLDivElement, fraction: number): void {
  bar.style.setProperty('--fill', String(fraction));
}
