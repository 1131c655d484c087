// The metrics page: holds what the extension sent (the dataset overview, the latest results) and
// draws the header with the metric chooser, the summary, the sortable per-class table and one PR
// chart per class; the single-image view is image-section.ts. After drawing results it tells the
// extension the numbers it shows (`rendered`).

import type {
  CocoResultsMessage,
  DatasetMessage,
  MetricKind,
  ShownValue,
  ToMetricsWebview,
  VocResultsMessage,
} from '../../src/shared/metrics-messages';
import { cocoSeries, curveColourVar, curveLabel, defaultChoices, vocSeries, choiceKey, type CurveChoice, type Series } from './chart-data';
import { canvasHasInk, prChart, type PrChart } from './charts';
import { button, h, labelled, onThemeChange, select, themeColour } from '../shared/dom';
import { classValueText, cocoSummaryRows, formatCount, formatMs, iouText, METRIC_TITLES, summaryText } from './format';
import { ImageSection } from './image-section';
import { COCO_COLUMNS, nextSort, sortRows, VOC_COLUMNS, type Column } from './tables';
import type { Host } from './state';

type Results = CocoResultsMessage | VocResultsMessage;

const CHART_WIDTH = 300;
const CHART_HEIGHT = 220;

export class MetricsApp {
  private dataset: DatasetMessage | undefined;
  private results: Results | undefined;
  private charts: PrChart[] = [];
  private readonly header = h('header', { class: 'header' });
  private readonly status = h('div', { class: 'status-line', attrs: { 'aria-live': 'polite' } });
  private readonly summary = h('section', { class: 'card summary', attrs: { 'aria-label': 'Summary' } });
  private readonly classes = h('section', { class: 'card classes', attrs: { 'aria-label': 'Per class' } });
  private readonly curves = h('section', { class: 'card curves', attrs: { 'aria-label': 'Precision–recall curves' } });
  private readonly image: ImageSection;
  private metricSelect: HTMLSelectElement | undefined;
  private vocIouInput: HTMLInputElement | undefined;

  constructor(
    private readonly host: Host,
    private readonly root: HTMLElement,
  ) {
    this.image = new ImageSection(host);
    root.replaceChildren(this.header, this.status, h('div', { class: 'top' }, this.summary, this.classes), this.curves, this.image.element);
    onThemeChange(() => {
      this.renderCurves();
      this.image.render();
    });
  }

  async receive(message: ToMetricsWebview): Promise<void> {
    switch (message.type) {
      case 'dataset':
        this.dataset = message;
        this.renderHeader();
        this.image.setDataset(message);
        return;
      case 'cocoResults':
      case 'vocResults':
        this.results = message;
        this.host.state.metric = message.type === 'cocoResults' ? 'coco' : message.metric;
        if (message.type === 'vocResults') this.host.state.vocIou = message.iouThreshold;
        this.host.save();
        this.setProgress(undefined);
        this.renderResults();
        return;
      case 'progress':
        this.setProgress(message.fraction, message.metric);
        return;
      case 'evaluationStopped':
        this.setProgress(undefined);
        this.showNotice(message.reason === 'cancelled' ? 'info' : 'error', message.message);
        this.syncMetricChooser();
        return;
      case 'imageBoxes':
        this.image.setBoxes(message);
        return;
      case 'imagePixels': {
        const problem = await this.image.setPicture(message);
        if (problem !== undefined) this.showNotice('error', problem);
        return;
      }
      case 'notice':
        this.showNotice(message.level, message.message);
        return;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Header: files, counts, metric chooser, progress

  private renderHeader(): void {
    const d = this.dataset;
    if (d === undefined) return;
    const c = d.counts;
    const counts = `${formatCount(c.images)} images · ${formatCount(c.objects)} objects${c.crowd > 0 ? ` (+${formatCount(c.crowd)} crowd)` : ''} · ${formatCount(c.detections)} detections · ${formatCount(c.categories)} classes`;
    this.metricSelect = select(
      (['coco', 'voc07', 'voc12'] as const).map((m) => [m, METRIC_TITLES[m]] as const),
      this.host.state.metric,
      () => this.chooseMetric(),
      { id: 'metric' },
    );
    this.vocIouInput = h('input', {
      id: 'voc-iou',
      attrs: { type: 'number', min: '0.05', max: '1', step: '0.05', value: String(this.host.state.vocIou) },
    });
    this.vocIouInput.addEventListener('change', () => this.chooseMetric());
    this.header.replaceChildren(
      h(
        'div',
        { class: 'title' },
        h('h1', {}, d.detectionsName),
        h('span', { class: 'muted' }, ' evaluated against '),
        h('strong', {}, d.groundTruthName),
        h('div', { class: 'muted counts' }, counts),
      ),
      h('div', { class: 'controls' }, labelled('Metric', this.metricSelect), labelled('VOC IoU ≥', this.vocIouInput)),
    );
    this.syncMetricChooser();
    this.status.replaceChildren(...d.warnings.map((w) => h('p', { class: 'notice warning' }, w)));
  }

  private chooseMetric(): void {
    const metric = (this.metricSelect?.value ?? 'coco') as MetricKind;
    const iou = Number(this.vocIouInput?.value);
    if (!(iou > 0 && iou <= 1)) {
      this.showNotice('warning', 'the VOC IoU threshold must be a number in (0, 1]');
      return;
    }
    this.vocIouInput?.toggleAttribute('disabled', metric === 'coco');
    this.host.post({ type: 'chooseMetric', metric, iouThreshold: iou });
  }

  /** The chooser shows the metric of the results on screen. */
  private syncMetricChooser(): void {
    const shown: MetricKind =
      this.results === undefined ? this.host.state.metric : this.results.type === 'cocoResults' ? 'coco' : this.results.metric;
    if (this.metricSelect) this.metricSelect.value = shown;
    if (this.vocIouInput) {
      if (this.results?.type === 'vocResults') this.vocIouInput.value = String(this.results.iouThreshold);
      this.vocIouInput.toggleAttribute('disabled', shown === 'coco');
    }
  }

  private setProgress(fraction: number | undefined, metric?: MetricKind): void {
    this.root.dataset['running'] = fraction === undefined ? '' : 'true';
    const existing = this.header.querySelector('.progress');
    if (fraction === undefined) {
      existing?.remove();
      return;
    }
    const bar = h('progress', { attrs: { max: '1', value: String(fraction) } });
    const box = h(
      'div',
      { class: 'progress' },
      h('span', {}, `${metric ? METRIC_TITLES[metric] : 'Evaluating'}: ${Math.floor(fraction * 100)}%`),
      bar,
      button('Cancel', () => this.host.post({ type: 'cancelEvaluation' }), { class: 'secondary' }),
    );
    if (existing) existing.replaceWith(box);
    else this.header.append(box);
  }

  private showNotice(level: 'info' | 'warning' | 'error', message: string): void {
    const notice = h(
      'p',
      { class: `notice ${level}` },
      message,
      button('×', () => notice.remove(), { class: 'icon', title: 'Dismiss' }),
    );
    this.status.append(notice);
  }

  // -------------------------------------------------------------------------------------------
  // Results: summary, per-class table, charts

  private renderResults(): void {
    const results = this.results;
    if (results === undefined) return;
    this.syncMetricChooser();
    const t0 = performance.now();
    const values = results.type === 'cocoResults' ? this.renderCocoSummary(results) : this.renderVocSummary(results);
    this.renderClassTable();
    const charts = this.renderCurves();
    const t2 = performance.now();
    this.root.dataset['state'] = 'rendered';
    this.root.dataset['metric'] = results.type === 'cocoResults' ? 'coco' : results.metric;
    this.host.post({
      type: 'rendered',
      resultId: results.resultId,
      metric: results.type === 'cocoResults' ? 'coco' : results.metric,
      values,
      classes: results.classes.length,
      charts,
      drawMs: t2 - t0,
    });
  }

  private renderCocoSummary(results: CocoResultsMessage): ShownValue[] {
    const rows = cocoSummaryRows(results.summary, results.iouThresholds);
    const cells: HTMLTableCellElement[] = [];
    const body = rows.map((row) => {
      const cell = h('td', { class: `num value${row.value === -1 ? ' undefined' : ''}`, attrs: { 'data-name': row.name } }, row.text);
      if (row.value === -1) cell.title = 'undefined (-1): no ground truth in this area range';
      cells.push(cell);
      return h(
        'tr',
        {},
        h('th', { attrs: { scope: 'row' }, title: row.measure }, row.name),
        h('td', {}, row.iou),
        h('td', {}, row.area),
        h('td', { class: 'num' }, row.maxDets),
        cell,
      );
    });
    this.summary.replaceChildren(
      h(
        'h2',
        {},
        'COCO summary ',
        h('span', { class: 'muted' }, `(pycocotools' summarize(), evaluated in ${formatMs(results.evaluateMs)})`),
      ),
      h(
        'table',
        { class: 'data summary-table', id: 'summary-table' },
        h('thead', {}, h('tr', {}, ...['', 'IoU', 'area', 'maxDets', 'value'].map((t) => h('th', {}, t)))),
        h('tbody', {}, ...body),
      ),
    );
    // Report what the cells say, read back from the page.
    return rows.map((row, i) => ({ name: row.name, value: row.value, text: cells[i]?.textContent ?? '' }));
  }

  private renderVocSummary(results: VocResultsMessage): ShownValue[] {
    const defined = results.classes.filter((c) => c.ap > -1).length;
    const value = h(
      'div',
      { class: 'big-number', id: 'voc-map', attrs: { 'data-name': 'mAP' } },
      results.mAP > -1 ? summaryText(results.mAP) : '–',
    );
    const how =
      results.metric === 'voc07'
        ? '11-point interpolated AP: the mean over recall 0, 0.1, …, 1 of the best precision at that recall or more'
        : 'all-point AP: the area under the precision envelope (VOC2010 and later)';
    this.summary.replaceChildren(
      h('h2', {}, `${METRIC_TITLES[results.metric]} `, h('span', { class: 'muted' }, `(evaluated in ${formatMs(results.evaluateMs)})`)),
      h('div', { class: 'voc-summary' }, h('span', { class: 'muted' }, 'mAP'), value),
      h(
        'p',
        { class: 'muted' },
        `Mean over ${defined} class${defined === 1 ? '' : 'es'} with countable objects, at IoU ≥ ${results.iouThreshold}. ${how}. Difficult objects and crowd regions are ignored.`,
      ),
    );
    return [{ name: 'mAP', value: results.mAP, text: value.textContent ?? '' }];
  }

  private renderClassTable(): void {
    const results = this.results;
    if (results === undefined) return;
    if (results.type === 'cocoResults') this.renderTable(results.classes, COCO_COLUMNS, 'Per class (area all, 100 detections per image)');
    else this.renderTable(results.classes, VOC_COLUMNS, `Per class (IoU ≥ ${results.iouThreshold})`);
  }

  private renderTable<R extends { categoryId: number }>(rows: readonly R[], columns: readonly Column<R>[], title: string): void {
    const fallback = columns.find((c) => c.key === 'AP') ?? columns[0];
    const sort = this.host.state.sort ?? { key: 'id', direction: 'ascending' as const };
    const column = columns.find((c) => c.key === sort.key) ?? fallback;
    if (column === undefined) return;
    const sorted = sortRows(rows, column, sort.direction);
    const headers = columns.map((c) => {
      const active = c.key === column.key;
      const th = h(
        'th',
        {
          class: `${c.numeric ? 'num ' : ''}sortable`,
          title: `${c.title} (click to sort)`,
          attrs: { scope: 'col', 'aria-sort': active ? sort.direction : 'none', 'data-key': c.key, tabindex: '0' },
        },
        c.label,
        active ? h('span', { class: 'arrow' }, sort.direction === 'ascending' ? ' ▲' : ' ▼') : null,
      );
      const activate = (): void => {
        this.host.state.sort = nextSort(active ? sort : undefined, c.key, c.numeric);
        this.host.save();
        this.renderClassTable();
      };
      th.addEventListener('click', activate);
      th.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          activate();
        }
      });
      return th;
    });
    const body = sorted.map((row) =>
      h(
        'tr',
        {
          attrs: { 'data-category': String(row.categoryId) },
          on: { click: () => this.revealChart(row.categoryId) },
          title: 'Show this class’s precision–recall chart',
        },
        ...columns.map((c) => h('td', { class: c.numeric ? 'num' : '' }, c.text(row))),
      ),
    );
    this.classes.replaceChildren(
      h('h2', {}, title),
      h(
        'div',
        { class: 'table-wrap' },
        h('table', { class: 'data class-table', id: 'class-table' }, h('thead', {}, h('tr', {}, ...headers)), h('tbody', {}, ...body)),
      ),
    );
  }

  private revealChart(categoryId: number): void {
    const card = this.curves.querySelector<HTMLElement>(`[data-category="${categoryId}"]`);
    if (card === null) return;
    card.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
    card.classList.add('flash');
    setTimeout(() => card.classList.remove('flash'), 1200);
  }

  /** Rebuilds the charts; returns how many were drawn with something on them. */
  private renderCurves(): number {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
    const results = this.results;
    if (results === undefined) return 0;
    const cards: { card: HTMLElement; canvas: HTMLCanvasElement; series: Series[] }[] = [];
    let undefinedClasses = 0;
    let controls: HTMLElement | null = null;
    let explanation: string;
    if (results.type === 'cocoResults') {
      const choices = this.curveChoices(results.iouThresholds);
      controls = this.curveChooser(results.iouThresholds, choices);
      explanation =
        'Interpolated precision at the 101 recall thresholds (area all, 100 detections per image); the mean curve’s average is the class’s AP.';
      results.classes.forEach((row, k) => {
        const curves = results.curves[k];
        const series = curves ? cocoSeries(curves, results.recallThresholds, results.iouThresholds, choices) : [];
        if (series.length === 0) undefinedClasses += 1;
        else
          cards.push(
            this.chartCard(
              row.categoryId,
              row.name,
              `AP ${classValueText(row.summary[0] ?? -1)} · AP50 ${classValueText(row.summary[1] ?? -1)}`,
              series,
            ),
          );
      });
    } else {
      explanation = `Precision after each detection, in score order (thin), and its envelope (dashed), at IoU ≥ ${results.iouThreshold}.`;
      for (const row of results.classes) {
        const series = vocSeries(row);
        if (series.length === 0) undefinedClasses += 1;
        else cards.push(this.chartCard(row.categoryId, row.name, `AP ${classValueText(row.ap)}`, series));
      }
    }
    const grid = h('div', { class: 'chart-grid' }, ...cards.map((c) => c.card));
    this.curves.replaceChildren(
      h('h2', {}, 'Precision–recall per class'),
      h(
        'p',
        { class: 'muted' },
        explanation,
        undefinedClasses > 0
          ? ` ${undefinedClasses} class${undefinedClasses === 1 ? ' has' : 'es have'} no ground truth and no curve.`
          : '',
      ),
      ...(controls ? [controls] : []),
      grid,
    );
    let drawn = 0;
    for (const { canvas, series } of cards) {
      const chart = prChart(canvas, series);
      this.charts.push(chart);
      if (canvasHasInk(canvas)) drawn += 1;
    }
    return drawn;
  }

  private chartCard(
    categoryId: number,
    name: string,
    caption: string,
    series: Series[],
  ): { card: HTMLElement; canvas: HTMLCanvasElement; series: Series[] } {
    const canvas = h('canvas', {
      class: 'pr-chart',
      attrs: { width: String(CHART_WIDTH), height: String(CHART_HEIGHT), role: 'img', 'aria-label': `Precision–recall curves of ${name}` },
    });
    const card = h(
      'figure',
      { class: 'chart-card', attrs: { 'data-category': String(categoryId) } },
      h('figcaption', {}, h('strong', {}, name), ' ', h('span', { class: 'muted' }, caption)),
      canvas,
    );
    return { card, canvas, series };
  }

  private curveChoices(iouThresholds: readonly number[]): CurveChoice[] {
    const saved = this.host.state.curves?.filter((c) => c === 'mean' || c < iouThresholds.length);
    return saved && saved.length > 0 ? saved : defaultChoices(iouThresholds);
  }

  /** One checkbox per IoU threshold and one for the mean, each in its curve's colour. */
  private curveChooser(iouThresholds: readonly number[], chosen: readonly CurveChoice[]): HTMLElement {
    const all: CurveChoice[] = [...iouThresholds.map((_, t) => t), 'mean'];
    const keys = new Set(chosen.map(choiceKey));
    const boxes = all.map((choice) => {
      const input = h('input', { attrs: { type: 'checkbox', 'data-curve': choiceKey(choice) } });
      input.checked = keys.has(choiceKey(choice));
      input.addEventListener('change', () => {
        const next = all.filter((_, i) => boxes[i]?.input.checked === true);
        this.host.state.curves = next.length > 0 ? next : null;
        this.host.save();
        this.renderCurves();
      });
      const swatch = h('span', { class: 'swatch' });
      swatch.style.borderColor = themeColour(curveColourVar(choice, iouThresholds));
      if (choice === 'mean') swatch.classList.add('dashed');
      const label = choice === 'mean' ? curveLabel('mean', iouThresholds) : iouText(iouThresholds[choice] ?? NaN);
      return { input, element: h('label', { class: 'chip' }, input, swatch, label) };
    });
    return h(
      'div',
      { class: 'curve-chooser', attrs: { role: 'group', 'aria-label': 'IoU thresholds to draw' } },
      h('span', { class: 'muted' }, 'IoU:'),
      ...boxes.map((b) => b.element),
    );
  }
}
