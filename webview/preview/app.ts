// The preview page: holds what the extension sent (model text, weights, picture, cursor layer),
// starts runs in the worker, and shows the chosen layer's view. Runs are numbered; anything the
// worker says about an older run is ignored.

import type { FailureReason, LayerReport, ModelMessage, PreviewView, ToWebviewMessage, WeightsPayload } from '../../src/shared/preview-messages';
import { describeWeights } from '../../src/core/engine/weights';
import { decodeImage, type DecodedImage } from './decode';
import { NORMALIZATIONS } from './normalize';
import type { SaliencyTarget } from './saliency';
import { SAMPLES, isSampleId } from './samples';
import { activationsView } from './ui/activations';
import { ArgmaxPanel } from './ui/argmax-panel';
import { button, clear, formatMs, formatShape, h, labelled, select } from './ui/dom';
import { GradientPanel, type SaliencyReply } from './ui/gradient-panel';
import { Im2colPanel } from './ui/im2col-panel';
import { LayerList } from './ui/layer-list';
import type { Host } from './vscode-api';
import { WorkerClient } from './worker-client';
import type { FromWorker, InputSource, LayerInfo, TensorData, ToWorker } from './worker-protocol';

type DoneMessage = Extract<FromWorker, { type: 'done' }>;

interface Detail {
  output: TensorData;
  input?: TensorData;
  argmax?: Int32Array;
}

interface Run {
  id: number;
  modelVersion: number;
  status: 'analyzing' | 'running' | 'done' | 'failed';
  layers: LayerInfo[];
  inputShape: number[];
  inputLabel: string;
  weightsLabel: string;
  /** Which matrix multiply the worker uses. */
  gemm: string;
  done?: DoneMessage;
  /** Whether `rendered` went to the extension for this run. */
  reported: boolean;
  details: Map<string, Promise<Detail>>;
}

interface Pending<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** After a soft cancel, how long the worker gets to stop by itself before it is terminated. */
const HARD_CANCEL_MS = 400;

const VIEW_LABELS: Record<PreviewView, string> = { activations: 'Activations', im2col: 'im2col', argmax: 'Argmax', gradient: 'Gradient' };

export class PreviewApp {
  private model: ModelMessage | undefined;
  private weights: WeightsPayload | undefined;
  private weightsToken = 0;
  private image: DecodedImage | undefined;
  /** A picture is being decoded: a run now would use the old input and be redone at once. */
  private decoding = false;
  private cursorLayer: string | null = null;
  private run: Run | undefined;
  private nextRunId = 1;
  private runQueued = false;
  private renderToken = 0;
  private panel: { dispose(): void } | undefined;
  private readonly details = new Map<string, Pending<Detail>>();
  private readonly saliencies = new Map<number, Pending<SaliencyReply>>();
  private nextSaliency = 1;
  private readonly worker: WorkerClient;

  // Elements that change.
  private readonly root: HTMLElement;
  private readonly title = h('h1', {}, 'Preview');
  private readonly weightsLabel = h('span', { class: 'badge weights', id: 'weights-label', title: 'the weights the engine runs with' }, '…');
  private readonly inputLabel = h('span', { class: 'badge input', id: 'input-label', title: 'the input image and its normalization' }, '…');
  private readonly inputSelect: HTMLSelectElement;
  private readonly normalizationSelect: HTMLSelectElement;
  private readonly seedInput: HTMLInputElement;
  private readonly runButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly progress = h('progress', { attrs: { max: '1', value: '0', 'aria-label': 'run progress' } });
  private readonly status = h('span', { class: 'status', attrs: { role: 'status' } });
  private readonly notices = h('div', { class: 'notices' });
  private readonly layerList: LayerList;
  private readonly detailHeader = h('div', { class: 'detail-header' });
  private readonly tabs = h('div', { class: 'tabs', attrs: { role: 'tablist' } });
  private readonly view = h('div', { class: 'view', attrs: { role: 'tabpanel' } });

  constructor(private readonly host: Host, root: HTMLElement) {
    this.root = root;
    this.worker = new WorkerClient(
      (message) => this.onWorker(message),
      (message) => this.onWorkerCrash(message),
    );
    const state = host.state;
    this.inputSelect = select(this.inputOptions(), this.inputValue(), (value) => this.chooseInput(value), { attrs: { 'aria-label': 'input' } });
    this.normalizationSelect = select(
      [
        ['auto', 'auto'],
        ['imagenet', NORMALIZATIONS.imagenet.label],
        ['unit', NORMALIZATIONS.unit.label],
      ],
      state.normalization,
      (value) => {
        host.state.normalization = value === 'imagenet' || value === 'unit' ? value : 'auto';
        host.save();
        this.requestRun();
      },
      { title: 'auto: ImageNet mean/std for 3-channel inputs, [0, 1] otherwise', attrs: { 'aria-label': 'normalization' } },
    );
    this.seedInput = h('input', { class: 'seed', attrs: { type: 'number', min: '0', step: '1', value: String(state.seed), 'aria-label': 'random seed' } });
    this.runButton = button('Run', () => this.requestRun(), { title: 'run the model again' });
    this.cancelButton = button('Cancel', () => this.cancel(), { class: 'secondary', title: 'stop the run' });
    this.cancelButton.disabled = true;
    this.layerList = new LayerList((name) => {
      this.show(name);
      host.post({ type: 'revealLayer', layer: name });
    });
    const sizeSelect = select(
      [
        ['48', 'small'],
        ['80', 'medium'],
        ['128', 'large'],
      ],
      String(state.size),
      (value) => {
        host.state.size = Number(value);
        host.save();
        this.rerender();
      },
      { attrs: { 'aria-label': 'heatmap size' } },
    );
    root.replaceChildren(
      h(
        'header',
        { class: 'toolbar' },
        h('div', { class: 'heading' }, this.title, this.weightsLabel, this.inputLabel),
        h(
          'div',
          { class: 'controls' },
          labelled('Input', this.inputSelect),
          button('Use image…', () => host.post({ type: 'pickImage' }), { class: 'secondary', title: 'pick a PNG or JPEG from the workspace' }),
          labelled('Normalize', this.normalizationSelect),
          button('Weights file…', () => host.post({ type: 'pickWeights' }), { class: 'secondary', title: 'pick a .safetensors state_dict' }),
          button('Random weights', () => this.useRandom(), { class: 'secondary', title: 'PyTorch-default initialization from the seed' }),
          labelled('Seed', this.seedInput),
          labelled('Size', sizeSelect),
        ),
        h('div', { class: 'run-status' }, this.runButton, this.cancelButton, this.progress, this.status),
      ),
      this.notices,
      h('div', { class: 'body' }, this.layerList.element, h('section', { class: 'detail', attrs: { 'aria-live': 'polite' } }, this.detailHeader, this.tabs, this.view)),
    );
    this.setState('loading');
    this.status.textContent = 'Waiting for the model…';
    // Theme switches change the colour scales and the canvas text colours.
    new MutationObserver(() => this.rerender()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  // ---- messages from the extension ------------------------------------------------------------

  async receive(message: ToWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'init':
        this.worker.setSource(message.workerSource);
        this.requestRun();
        return;
      case 'model':
        this.model = message;
        this.title.textContent = message.fileName;
        this.requestRun();
        return;
      case 'weights':
        this.weights = message.weights;
        this.weightsToken++;
        this.worker.setWeights(this.weightsToken, message.weights);
        this.weightsLabel.textContent = describeWeights(message.weights.kind === 'random' ? message.weights : { kind: 'tensors', tensors: new Map(), label: message.weights.name });
        if (message.weights.kind === 'random') this.seedInput.value = String(message.weights.seed);
        this.requestRun();
        return;
      case 'image':
        this.decoding = true;
        try {
          this.image = await decodeImage(message.name, message.bytes, message.mime);
          this.host.state.input = 'image';
          this.host.save();
          this.refreshInputs();
        } catch (error) {
          this.notice('error', error instanceof Error ? error.message : String(error));
        } finally {
          this.decoding = false;
          this.requestRun();
        }
        return;
      case 'cursor':
        this.cursorLayer = message.layer;
        if (message.layer === 'input' || (message.layer !== null && (this.run?.layers.some((l) => l.name === message.layer) ?? false))) this.show(message.layer);
        return;
      case 'notice':
        this.notice(message.level, message.message);
        return;
    }
  }

  private notice(level: 'info' | 'warning' | 'error', text: string): void {
    const item = h('div', { class: `notice ${level}`, attrs: { role: level === 'error' ? 'alert' : 'status' } }, h('span', {}, text));
    item.append(button('✕', () => item.remove(), { class: 'icon', title: 'dismiss', attrs: { 'aria-label': 'dismiss' } }));
    this.notices.append(item);
  }

  // ---- inputs and weights -----------------------------------------------------------------------

  private inputOptions(): [string, string][] {
    const options: [string, string][] = SAMPLES.map((s) => [`sample:${s.id}`, `sample: ${s.label}`]);
    if (this.image) options.push(['image', `image: ${this.image.name}`]);
    return options;
  }

  private inputValue(): string {
    return this.host.state.input === 'image' && this.image ? 'image' : `sample:${this.host.state.sample}`;
  }

  private refreshInputs(): void {
    this.inputSelect.replaceChildren(...this.inputOptions().map(([value, label]) => h('option', { attrs: { value } }, label)));
    this.inputSelect.value = this.inputValue();
  }

  private chooseInput(value: string): void {
    if (value === 'image') {
      this.host.state.input = 'image';
    } else {
      const id = value.slice('sample:'.length);
      if (isSampleId(id)) {
        this.host.state.input = 'sample';
        this.host.state.sample = id;
      }
    }
    this.host.save();
    this.requestRun();
  }

  private inputSource(): InputSource {
    if (this.host.state.input === 'image' && this.image) {
      const { name, width, height, rgba } = this.image;
      return { kind: 'image', name, width, height, rgba: rgba.slice() };
    }
    return { kind: 'sample', id: this.host.state.sample };
  }

  private useRandom(): void {
    const seed = Number(this.seedInput.value);
    if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
      this.notice('warning', `the seed must be an integer from 0 to ${0xffffffff}`);
      return;
    }
    this.host.state.seed = seed;
    this.host.save();
    this.host.post({ type: 'useRandomWeights', seed });
  }

  // ---- runs -----------------------------------------------------------------------------------

  private setState(state: 'loading' | 'running' | 'rendered' | 'failed' | 'cancelled'): void {
    this.root.dataset['state'] = state;
  }

  /** Starts a run once the current task is over (several triggers often come together). */
  private requestRun(): void {
    if (this.runQueued) return;
    this.runQueued = true;
    queueMicrotask(() => {
      this.runQueued = false;
      this.startRun();
    });
  }

  private startRun(): void {
    const model = this.model;
    if (model === undefined || this.weights === undefined || !this.worker.hasSource || this.decoding) return;
    if (this.run && (this.run.status === 'analyzing' || this.run.status === 'running')) this.worker.post({ type: 'cancel', runId: this.run.id });
    this.rejectPending('a newer run replaced this one');
    const run: Run = {
      id: this.nextRunId++,
      modelVersion: model.version,
      status: 'analyzing',
      layers: [],
      inputShape: [],
      inputLabel: '',
      weightsLabel: this.weightsLabel.textContent ?? '',
      gemm: '',
      reported: false,
      details: new Map(),
    };
    this.run = run;
    this.setState('running');
    this.progress.value = 0;
    this.status.textContent = 'Analyzing…';
    this.cancelButton.disabled = false;
    const input = this.inputSource();
    const message: ToWorker = {
      type: 'run',
      runId: run.id,
      text: model.text,
      options: model.options,
      input,
      normalization: this.host.state.normalization,
      weightsToken: this.weightsToken,
      memoryBudgetBytes: model.memoryBudgetMB * 2 ** 20,
    };
    try {
      this.worker.post(message, input.kind === 'image' ? [input.rgba.buffer] : []);
    } catch (error) {
      this.fail(run, 'engine', `the engine worker could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private cancel(): void {
    const run = this.run;
    if (!run || (run.status !== 'analyzing' && run.status !== 'running')) return;
    this.status.textContent = 'Cancelling…';
    this.worker.post({ type: 'cancel', runId: run.id });
    setTimeout(() => {
      if (this.run === run && (run.status === 'analyzing' || run.status === 'running')) {
        // The worker is inside one long layer: stop it now.
        this.worker.terminate();
        this.fail(run, 'cancelled', 'cancelled');
      }
    }, HARD_CANCEL_MS);
  }

  private onWorkerCrash(message: string): void {
    this.host.post({ type: 'log', level: 'error', message: `the engine worker stopped: ${message}` });
    this.rejectPending(message);
    const run = this.run;
    if (run && run.status !== 'failed') this.fail(run, 'engine', `the engine worker stopped: ${message}`);
  }

  private rejectPending(reason: string): void {
    for (const p of this.details.values()) p.reject(new Error(reason));
    this.details.clear();
    for (const p of this.saliencies.values()) p.reject(new Error(reason));
    this.saliencies.clear();
  }

  private onWorker(message: FromWorker): void {
    const run = this.run;
    if (run === undefined || message.runId !== run.id) return;
    switch (message.type) {
      case 'analyzed':
        run.status = 'running';
        run.layers = message.layers;
        run.inputShape = message.inputShape;
        run.inputLabel = message.inputLabel;
        run.weightsLabel = message.weights;
        run.gemm = message.gemm;
        this.weightsLabel.textContent = message.weights;
        this.inputLabel.textContent = message.inputLabel;
        if (message.modelName && this.model) this.title.textContent = `${this.model.fileName} (${message.modelName})`;
        this.layerList.setLayers(message.inputShape, message.layers);
        this.layerList.setSelected(this.host.state.selected);
        this.progress.max = Math.max(1, message.layers.length);
        this.progress.value = 0;
        if (message.layers[0]) this.layerList.markRunning(message.layers[0].name);
        this.status.textContent = `Running ${message.layers.length} layers…`;
        return;
      case 'phase':
        this.status.textContent = message.text;
        return;
      case 'progress': {
        this.layerList.markDone(message.name, message.ms);
        const next = run.layers[message.index + 1];
        if (next) this.layerList.markRunning(next.name);
        this.progress.value = message.index + 1;
        this.status.textContent = `Layer ${message.index + 1} of ${run.layers.length}: ${message.name} (${formatMs(message.ms)})`;
        return;
      }
      case 'done':
        run.status = 'done';
        run.done = message;
        this.cancelButton.disabled = true;
        this.layerList.setTimings(message.layers);
        this.progress.value = this.progress.max;
        this.status.textContent = `Ran ${message.layers.length} layers in ${formatMs(message.totalMs)} (${run.gemm})${message.unusedTensors.length ? ` · ${message.unusedTensors.length} tensors of the weights file unused` : ''}`;
        this.status.title = [
          `analysis ${formatMs(message.phases.analyzeMs)}, input ${formatMs(message.phases.inputMs)}, weights ${formatMs(message.phases.weightsMs)}, layers ${formatMs(message.totalMs)}`,
          message.unusedTensors.length ? `unused tensors: ${message.unusedTensors.join(', ')}` : '',
        ]
          .filter((line) => line !== '')
          .join('\n');
        this.show(this.initialLayer(run));
        return;
      case 'failed':
        this.fail(run, message.reason, message.message);
        return;
      case 'detail':
        this.details.get(`${message.runId}:${message.layer}`)?.resolve({ output: message.output, input: message.input, argmax: message.argmax });
        this.details.delete(`${message.runId}:${message.layer}`);
        return;
      case 'detailFailed':
        this.details.get(`${message.runId}:${message.layer}`)?.reject(new Error(message.message));
        this.details.delete(`${message.runId}:${message.layer}`);
        return;
      case 'saliency':
        this.saliencies.get(message.requestId)?.resolve({ result: message.result, ms: message.ms });
        this.saliencies.delete(message.requestId);
        return;
      case 'saliencyFailed':
        this.saliencies.get(message.requestId)?.reject(new Error(message.message));
        this.saliencies.delete(message.requestId);
        return;
    }
  }

  private fail(run: Run, reason: FailureReason, text: string): void {
    if (run.status === 'failed' || run.status === 'done') return;
    run.status = 'failed';
    this.cancelButton.disabled = true;
    this.layerList.stop();
    this.setState(reason === 'cancelled' ? 'cancelled' : 'failed');
    this.status.textContent = reason === 'cancelled' ? 'Cancelled.' : 'The run did not complete.';
    if (reason === 'analysis') this.layerList.clear();
    if (reason !== 'cancelled') {
      this.closePanel();
      this.detailHeader.replaceChildren(h('h2', {}, failureTitle(reason)));
      this.tabs.replaceChildren();
      this.view.replaceChildren(h('p', { class: 'error', attrs: { 'data-reason': reason } }, text));
    }
    this.host.post({ type: 'runFailed', runId: run.id, modelVersion: run.modelVersion, reason, message: text });
  }

  private initialLayer(run: Run): string {
    const names = new Set(run.layers.map((l) => l.name));
    if (this.cursorLayer !== null && (this.cursorLayer === 'input' || names.has(this.cursorLayer))) return this.cursorLayer;
    const selected = this.host.state.selected;
    if (selected !== null && (selected === 'input' || names.has(selected))) return selected;
    return run.layers.find((l) => l.kind === 'conv2d')?.name ?? run.layers[0]?.name ?? 'input';
  }

  // ---- showing a layer --------------------------------------------------------------------------

  private detail(run: Run, layer: string): Promise<Detail> {
    const cached = run.details.get(layer);
    if (cached) return cached;
    const promise = new Promise<Detail>((resolve, reject) => {
      this.details.set(`${run.id}:${layer}`, { resolve, reject });
      this.worker.post({ type: 'detail', runId: run.id, layer });
    });
    run.details.set(layer, promise);
    promise.catch(() => run.details.delete(layer));
    return promise;
  }

  private requestSaliency(run: Run, target: SaliencyTarget): Promise<SaliencyReply> {
    return new Promise<SaliencyReply>((resolve, reject) => {
      const requestId = this.nextSaliency++;
      this.saliencies.set(requestId, { resolve, reject });
      this.worker.post({ type: 'saliency', runId: run.id, requestId, target });
    });
  }

  private rerender(): void {
    const selected = this.host.state.selected;
    if (selected !== null && this.run?.status === 'done') this.show(selected);
  }

  private closePanel(): void {
    this.panel?.dispose();
    this.panel = undefined;
  }

  private viewsOf(run: Run, name: string): PreviewView[] {
    const info = run.layers.find((l) => l.name === name);
    const views: PreviewView[] = ['activations'];
    if (info?.im2col) views.push('im2col');
    if (info?.pool) views.push('argmax');
    if (info?.saliency) views.push('gradient');
    return views;
  }

  /** Shows a layer's current view; the first view drawn after a run reports `rendered`. */
  show(name: string, view?: PreviewView): void {
    this.host.state.selected = name;
    if (view) this.host.state.view = view;
    this.host.save();
    this.layerList.setSelected(name);
    const run = this.run;
    if (run === undefined || run.status !== 'done' || run.done === undefined) return;
    const views = this.viewsOf(run, name);
    const current = views.includes(this.host.state.view) ? this.host.state.view : 'activations';
    const token = ++this.renderToken;
    void this.detail(run, name).then(
      (detail) => {
        if (token !== this.renderToken || this.run !== run) return;
        this.draw(run, name, current, views, detail);
      },
      (error: unknown) => {
        if (token !== this.renderToken) return;
        this.view.replaceChildren(h('p', { class: 'error' }, error instanceof Error ? error.message : String(error)));
      },
    );
  }

  private draw(run: Run, name: string, view: PreviewView, views: PreviewView[], detail: Detail): void {
    const done = run.done!;
    const info = run.layers.find((l) => l.name === name);
    const stats = name === 'input' ? done.inputStats : (done.layers.find((l) => l.name === name)?.stats ?? []);
    const ms = done.layers.find((l) => l.name === name)?.ms;
    this.closePanel();
    this.detailHeader.replaceChildren(
      h('h2', {}, name, h('span', { class: 'kind' }, info?.kind ?? 'model input')),
      h('span', { class: 'facts' }, `output ${formatShape(detail.output.shape)}${detail.output.shape[0] !== undefined && detail.output.shape[0] > 1 ? ' (batch item 0 shown)' : ''}${ms !== undefined ? ` · ${formatMs(ms)}` : ''}`),
    );
    this.tabs.replaceChildren(
      ...views.map((v) =>
        h(
          'button',
          {
            class: v === view ? 'tab selected' : 'tab',
            attrs: { type: 'button', role: 'tab', 'aria-selected': String(v === view), 'data-view': v },
            on: { click: () => this.show(name, v) },
          },
          VIEW_LABELS[v],
        ),
      ),
    );
    clear(this.view);
    const size = this.host.state.size;
    const shown = (): void => this.host.post({ type: 'shown', layer: name, view });
    if (view === 'im2col' && info?.im2col && detail.input) {
      const panel = new Im2colPanel(info.im2col, detail.input, detail.output, size);
      this.panel = panel;
      this.view.append(panel.element);
    } else if (view === 'argmax' && info?.pool && detail.input && detail.argmax) {
      const panel = new ArgmaxPanel(info.pool, detail.input, detail.output, detail.argmax, size);
      this.view.append(panel.element);
    } else if (view === 'gradient') {
      const panel = new GradientPanel(
        name,
        detail.output,
        stats,
        () => this.detail(run, 'input').then((d) => d.output),
        (target) => this.requestSaliency(run, target),
        size,
      );
      this.view.append(panel.element);
    } else {
      this.view.append(activationsView(detail.output, stats, { size }));
    }
    shown();
    if (!run.reported) {
      run.reported = true;
      this.setState('rendered');
      this.host.post({
        type: 'rendered',
        runId: run.id,
        modelVersion: run.modelVersion,
        weights: run.weightsLabel,
        input: run.inputLabel,
        totalMs: done.totalMs,
        layers: done.layers.map((l): LayerReport => {
          const layerInfo = run.layers.find((x) => x.name === l.name);
          return { name: l.name, kind: layerInfo?.kind ?? '', shape: layerInfo?.shape ?? [], ms: l.ms, heatmaps: l.stats };
        }),
        shownLayer: name,
      });
    }
  }
}

function failureTitle(reason: FailureReason): string {
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
