// The preview page's controller: holds what the extension sent (the model's analysis, weights,
// picture, cursor layer), starts runs in the worker, and shows the chosen layer. Runs are numbered;
// anything the worker says about an older run is ignored.

import { describeWeights } from '../../../src/core/run/weights';
import {
  REPORT_MAX_CHANNELS,
  type FailureReason,
  type LayerReport,
  type ModelMessage,
  type PreviewView,
  type ToWebviewMessage,
  type WeightsPayload,
} from '../../../src/shared/preview-messages';
import { h, onThemeChange } from '../../shared/dom';
import type { FromWorker, InputSource, LayerInfo, SaliencyTarget, ToWorker } from '../protocol';
import { isSampleId, SAMPLES } from '../samples';
import { emptyStatsTable, statsRows } from '../stats';
import { decodeImage, type DecodedImage } from './decode';
import { formatMs } from './format';
import type { Host } from './state';
import type { SaliencyReply } from './ui/gradient-panel';
import { LayerList } from './ui/layer-list';
import { LayerView, type Detail } from './ui/layer-view';
import { Toolbar } from './ui/toolbar';
import { WorkerClient } from './worker-client';

type DoneMessage = Extract<FromWorker, { type: 'done' }>;

interface Run {
  id: number;
  modelVersion: number;
  status: 'analyzing' | 'running' | 'done' | 'failed';
  layers: LayerInfo[];
  inputLabel: string;
  weightsLabel: string;
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

function isActive(run: Run | undefined): run is Run {
  return run !== undefined && (run.status === 'analyzing' || run.status === 'running');
}

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
  private readonly details = new Map<string, Pending<Detail>>();
  private readonly saliencies = new Map<number, Pending<SaliencyReply>>();
  private nextSaliency = 1;
  private readonly worker: WorkerClient;
  private readonly toolbar: Toolbar;
  private readonly layerList: LayerList;
  private readonly layerView: LayerView;

  constructor(
    private readonly host: Host,
    private readonly root: HTMLElement,
  ) {
    this.worker = new WorkerClient(
      (message) => this.onWorker(message),
      (message) => this.onWorkerCrash(message),
    );
    this.toolbar = new Toolbar(host.state, this.inputOptions(), this.inputValue(), {
      chooseInput: (value) => this.chooseInput(value),
      setNormalization: (value) => {
        host.state.normalization = value;
        host.save();
        this.requestRun();
      },
      pickImage: () => host.post({ type: 'pickImage' }),
      pickWeights: () => host.post({ type: 'pickWeights' }),
      useRandomWeights: (seed) => {
        host.state.seed = seed;
        host.save();
        host.post({ type: 'useRandomWeights', seed });
      },
      setSize: (px) => {
        host.state.size = px;
        host.save();
        this.rerender();
      },
      run: () => this.requestRun(),
      cancel: () => this.cancel(),
    });
    this.layerList = new LayerList((name) => {
      this.show(name);
      host.post({ type: 'revealLayer', layer: name });
    });
    this.layerView = new LayerView({
      selectView: (layer, view) => this.show(layer, view),
      modelInput: () => (this.run ? this.detail(this.run, 'input').then((d) => d.output) : Promise.reject(new Error('no run'))),
      saliency: (target) => (this.run ? this.requestSaliency(this.run, target) : Promise.reject(new Error('no run'))),
    });
    root.replaceChildren(
      this.toolbar.element,
      this.toolbar.notices,
      h('div', { class: 'body' }, this.layerList.element, this.layerView.element),
    );
    this.setState('loading');
    this.toolbar.setStatus('Waiting for the model…');
    // Theme switches change the colour scales and the canvas text colours.
    onThemeChange(() => this.rerender());
  }

  // ---- messages from the extension --------------------------------------------------------------

  async receive(message: ToWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'init':
        this.worker.setSource(message.workerSource);
        this.requestRun();
        return;
      case 'model':
        this.model = message;
        this.toolbar.setTitle(message.fileName);
        // A .safetensors file is a PyTorch state_dict: a TensorFlow.js model runs with random weights.
        this.toolbar.setWeightsFileAllowed(
          (message.model.kind === 'runnable' ? message.model.analysis.framework : message.model.framework) !== 'tfjs',
        );
        this.requestRun();
        return;
      case 'weights': {
        const weights = message.weights;
        this.weights = weights;
        this.weightsToken++;
        this.worker.setWeights(this.weightsToken, weights);
        this.toolbar.setWeights(
          describeWeights(weights.kind === 'random' ? weights : { kind: 'tensors', tensors: new Map(), label: weights.name }),
        );
        if (weights.kind === 'random') this.toolbar.setSeed(weights.seed);
        this.requestRun();
        return;
      }
      case 'image':
        this.decoding = true;
        try {
          this.image = await decodeImage(message.name, message.bytes, message.mime);
          this.host.state.input = 'image';
          this.host.save();
          this.toolbar.setInputs(this.inputOptions(), this.inputValue());
        } catch (error) {
          this.toolbar.notice('error', error instanceof Error ? error.message : String(error));
        } finally {
          this.decoding = false;
          this.requestRun();
        }
        return;
      case 'cursor': {
        const layer = message.layer;
        this.cursorLayer = layer;
        if (layer === 'input' || (layer !== null && (this.run?.layers.some((l) => l.name === layer) ?? false))) this.show(layer);
        return;
      }
      case 'notice':
        this.toolbar.notice(message.level, message.message);
        return;
    }
  }

  // ---- inputs -----------------------------------------------------------------------------------

  private inputOptions(): [string, string][] {
    const options: [string, string][] = SAMPLES.map((s) => [`sample:${s.id}`, `sample: ${s.label}`]);
    if (this.image) options.push(['image', `image: ${this.image.name}`]);
    return options;
  }

  private inputValue(): string {
    return this.host.state.input === 'image' && this.image ? 'image' : `sample:${this.host.state.sample}`;
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

  // ---- runs -------------------------------------------------------------------------------------

  /** `data-state` on #app: what tests (and screen readers, through the status line) wait for. */
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
    if (isActive(this.run)) this.worker.post({ type: 'cancel', runId: this.run.id });
    this.rejectPending('a newer run replaced this one');
    const run: Run = {
      id: this.nextRunId++,
      modelVersion: model.version,
      status: 'analyzing',
      layers: [],
      inputLabel: '',
      weightsLabel: this.toolbar.weights,
      reported: false,
      details: new Map(),
    };
    this.run = run;
    this.setState('running');
    this.toolbar.setProgress(0);
    this.toolbar.setStatus('Analyzing…');
    this.toolbar.setRunning(true);
    if (model.model.kind === 'refused') {
      // The extension's analysis decided it: nothing for the worker to do.
      this.fail(run, 'analysis', model.model.reason);
      return;
    }
    const input = this.inputSource();
    const message: ToWorker = {
      type: 'run',
      runId: run.id,
      analysis: model.model.analysis,
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
    if (!isActive(run)) return;
    this.toolbar.setStatus('Cancelling…');
    this.worker.post({ type: 'cancel', runId: run.id });
    setTimeout(() => {
      if (this.run === run && isActive(run)) {
        // The worker is inside one long step (a big layer, drawing weights): stop it now.
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
        run.inputLabel = message.inputLabel;
        run.weightsLabel = message.weights;
        this.toolbar.setWeights(message.weights);
        this.toolbar.setInputLabel(message.inputLabel);
        if (message.modelName && this.model) this.toolbar.setTitle(`${this.model.fileName} (${message.modelName})`);
        this.layerList.setLayers(message.inputDisplayShape, message.layers, message.layout);
        this.layerList.setSelected(this.host.state.selected);
        this.toolbar.setProgress(0, message.layers.length);
        if (message.layers[0]) this.layerList.markRunning(message.layers[0].name);
        // The worker answers this as soon as the run is done (the view's data, without a round
        // trip after `done`); `show` then finds it in run.details.
        void this.detail(run, this.initialLayer(run)).catch(() => undefined);
        return;
      case 'phase':
        this.toolbar.setStatus(message.text);
        return;
      case 'progress': {
        for (const layer of message.layers) this.layerList.markDone(layer.name, layer.ms);
        const next = run.layers[message.index + 1];
        if (next) this.layerList.markRunning(next.name);
        this.toolbar.setProgress(message.index + 1);
        const latest = message.layers[message.layers.length - 1];
        if (latest) this.toolbar.setStatus(`Layer ${message.index + 1} of ${run.layers.length}: ${latest.name} (${formatMs(latest.ms)})`);
        return;
      }
      case 'done': {
        run.status = 'done';
        run.done = message;
        this.toolbar.setRunning(false);
        this.layerList.setTimings(message.layers);
        this.toolbar.setProgress(run.layers.length);
        const { analyzeMs, inputMs, weightsMs } = message.phases;
        const unused = message.unusedTensors;
        this.toolbar.setStatus(
          `Ran ${message.layers.length} layers in ${formatMs(message.totalMs)} (${message.backend === 'wasm' ? 'WebAssembly SIMD kernels' : 'TypeScript kernels'})${unused.length ? ` · ${unused.length} tensors of the weights file unused` : ''}`,
          [
            `analysis ${formatMs(analyzeMs)}, input ${formatMs(inputMs)}, weights ${formatMs(weightsMs)}, layers ${formatMs(message.totalMs)}`,
            unused.length ? `unused tensors: ${unused.join(', ')}` : '',
          ]
            .filter((line) => line !== '')
            .join('\n'),
        );
        this.show(this.initialLayer(run));
        return;
      }
      case 'failed':
        this.fail(run, message.reason, message.message);
        return;
      case 'detail':
      case 'detailFailed': {
        const key = `${message.runId}:${message.layer}`;
        const pending = this.details.get(key);
        this.details.delete(key);
        if (message.type === 'detail') pending?.resolve({ output: message.output, input: message.input, argmax: message.argmax });
        else pending?.reject(new Error(message.message));
        return;
      }
      case 'saliency':
      case 'saliencyFailed': {
        const pending = this.saliencies.get(message.requestId);
        this.saliencies.delete(message.requestId);
        if (message.type === 'saliency') pending?.resolve({ result: message.result, ms: message.ms });
        else pending?.reject(new Error(message.message));
        return;
      }
    }
  }

  private fail(run: Run, reason: FailureReason, text: string): void {
    if (run.status === 'failed' || run.status === 'done') return;
    run.status = 'failed';
    this.toolbar.setRunning(false);
    this.layerList.stop();
    this.setState(reason === 'cancelled' ? 'cancelled' : 'failed');
    this.toolbar.setStatus(reason === 'cancelled' ? 'Cancelled.' : 'The run did not complete.');
    if (reason === 'analysis') this.layerList.clear();
    if (reason !== 'cancelled') this.layerView.showFailure(reason, text);
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

  /** Shows a layer's current view; the first view drawn after a run reports `rendered`. */
  show(name: string, view?: PreviewView): void {
    this.host.state.selected = name;
    if (view) this.host.state.view = view;
    this.host.save();
    this.layerList.setSelected(name);
    const run = this.run;
    if (run === undefined || run.status !== 'done' || run.done === undefined) return;
    const done = run.done;
    const token = ++this.renderToken;
    void this.detail(run, name).then(
      (detail) => {
        if (token !== this.renderToken || this.run !== run) return;
        const data = {
          name,
          info: run.layers.find((l) => l.name === name),
          stats: statsRows(name === 'input' ? done.inputStats : (done.layers.find((l) => l.name === name)?.stats ?? emptyStatsTable())),
          ms: done.layers.find((l) => l.name === name)?.ms,
          detail,
        };
        const shown = this.layerView.draw(data, this.host.state.view, this.host.state.size);
        this.host.post({ type: 'shown', layer: name, view: shown });
        if (!run.reported) this.report(run, done, name);
      },
      (error: unknown) => {
        if (token === this.renderToken) this.layerView.showError(error instanceof Error ? error.message : String(error));
      },
    );
  }

  /** Tells the extension what the run computed, once its first view is on screen. */
  private report(run: Run, done: DoneMessage, shownLayer: string): void {
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
        const info = run.layers.find((x) => x.name === l.name);
        return {
          name: l.name,
          kind: info?.kind ?? '',
          shape: info?.displayShape ?? [],
          ms: l.ms,
          channels: l.stats.min.length,
          heatmaps: statsRows(l.stats, REPORT_MAX_CHANNELS),
        };
      }),
      shownLayer,
    });
  }
}
