// One "Evaluate Detections" panel (the webview's lifecycle, page and message checks are every
// panel's: ../webview/panel.ts): sends it the dataset and the results, and answers its requests:
// another metric (run with progress and cancellation, then cached), one image's boxes, a picture
// for that image.

import * as vscode from 'vscode';
import { evaluateVocAsync, type VocMetric } from '../../core/metrics';
import {
  validateFromMetricsWebview,
  type CocoResultsMessage,
  type FromMetricsWebview,
  type MetricKind,
  type RenderedMessage,
  type ToMetricsWebview,
  type VocResultsMessage,
} from '../../shared/metrics-messages';
import { withEvaluationProgress, type EvaluationSession } from './evaluation';
import { WebviewPanel } from '../webview/panel';
import { METRICS_PAGE } from './html';
import { fileName } from './inputs';
import { datasetMessage, imageBoxesMessage, vocResultsMessage } from './view-model';

export const METRICS_VIEW_TYPE = 'convlens.metrics';

/** Pictures larger than this are not sent to the webview. */
const MAX_IMAGE_BYTES = 64 * 2 ** 20;
const IMAGE_MIME: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
};

export type ShowMetricOutcome = 'shown' | 'cancelled' | 'failed';

/** What the command returns with a shown panel: lets tests (and other extensions) follow it. */
export interface MetricsHandle {
  readonly panel: vscode.WebviewPanel;
  readonly session: EvaluationSession;
  /** Every valid message the webview sent. */
  readonly onDidReceive: vscode.Event<FromMetricsWebview>;
  /** The first message, already received or still to come, that satisfies `predicate`; rejects if the panel closes first. */
  waitFor<T extends FromMetricsWebview>(predicate: (message: FromMetricsWebview) => message is T): Promise<T>;
  /** The webview's report for the latest results sent to it (what it shows once drawn). */
  whenRendered(): Promise<RenderedMessage>;
  /** Shows a metric as the webview's chooser does: evaluates it (cancellable) unless cached. */
  showMetric(metric: MetricKind, iouThreshold?: number): Promise<ShowMetricOutcome>;
  /** Draws `uri` (a PNG/JPEG/...) under the boxes of image `imageId`, as "Image file…" does after its dialog. */
  showImageFile(imageId: number, uri: vscode.Uri): Promise<void>;
}

export interface MetricsServices {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

type ResultsMessage = CocoResultsMessage | VocResultsMessage;

function resultsKey(metric: MetricKind, iouThreshold: number): string {
  return metric === 'coco' ? 'coco' : `${metric}@${iouThreshold}`;
}

export class MetricsPanel implements MetricsHandle, vscode.Disposable {
  private readonly view: WebviewPanel<ToMetricsWebview, FromMetricsWebview>;
  readonly panel: vscode.WebviewPanel;
  readonly onDidReceive: vscode.Event<FromMetricsWebview>;
  /** Results by metric (and IoU for VOC), without their resultId. */
  private readonly results = new Map<string, ResultsMessage>();
  private currentKey = 'coco';
  private resultId = 0;
  private running: { key: string; controller: AbortController; done: Promise<ShowMetricOutcome> } | undefined;

  constructor(
    public session: EvaluationSession,
    coco: CocoResultsMessage,
    private readonly services: MetricsServices,
    column: vscode.ViewColumn,
    onDispose: () => void,
  ) {
    this.results.set('coco', coco);
    this.view = new WebviewPanel({
      viewType: METRICS_VIEW_TYPE,
      title: `Detections: ${session.detections.name}`,
      page: METRICS_PAGE,
      extensionUri: services.extensionUri,
      column,
      preserveFocus: false,
      validate: validateFromMetricsWebview,
      remember: (message) => message.type === 'rendered' || message.type === 'imageShown',
      handle: (message) => this.handle(message),
      onError: (error) => this.notice('error', error instanceof Error ? error.message : String(error)),
      onMalformed: (error) =>
        services.log.error(`metrics panel (${this.session.detections.name}): rejected a malformed message from the webview: ${error}`),
      onDispose: () => {
        this.running?.controller.abort();
        onDispose();
      },
    });
    this.panel = this.view.panel;
    this.onDidReceive = this.view.onDidReceive;
  }

  get isDisposed(): boolean {
    return this.view.isDisposed;
  }

  /** The same pair evaluated again (the files may have changed): replaces everything shown. */
  replaceSession(session: EvaluationSession, coco: CocoResultsMessage): void {
    this.running?.controller.abort();
    this.session = session;
    this.results.clear();
    this.results.set('coco', coco);
    this.currentKey = 'coco';
    this.sendAll();
    this.panel.reveal(undefined, false);
  }

  waitFor<T extends FromMetricsWebview>(predicate: (message: FromMetricsWebview) => message is T): Promise<T> {
    return this.view.waitFor(predicate, 'the metrics panel was closed');
  }

  whenRendered(): Promise<RenderedMessage> {
    const after = this.resultId;
    return this.waitFor((m): m is RenderedMessage => m.type === 'rendered' && m.resultId >= after);
  }

  private post(message: ToMetricsWebview): void {
    this.view.post(message);
  }

  private postResults(results: ResultsMessage): void {
    this.resultId += 1;
    this.post({ ...results, resultId: this.resultId });
  }

  private sendAll(): void {
    const { dataset, index, meta, groundTruth, detections, warnings } = this.session;
    this.post(datasetMessage(dataset, index, meta, { groundTruth: groundTruth.name, detections: detections.name }, warnings));
    const current = this.results.get(this.currentKey) ?? this.results.get('coco');
    if (current) this.postResults(current);
  }

  private notice(level: 'info' | 'warning' | 'error', message: string): void {
    this.services.log[level === 'warning' ? 'warn' : level](`${this.session.detections.name}: ${message}`);
    this.post({ type: 'notice', level, message });
  }

  private async handle(message: FromMetricsWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.sendAll();
        return;
      case 'chooseMetric':
        await this.showMetric(message.metric, message.iouThreshold);
        return;
      case 'cancelEvaluation':
        this.running?.controller.abort();
        return;
      case 'requestImage': {
        const { dataset, index, meta } = this.session;
        const boxes = imageBoxesMessage(dataset, index, meta, message.imageId);
        if (boxes === undefined) this.notice('warning', `image ${message.imageId} is not in the ground truth`);
        else this.post(boxes);
        return;
      }
      case 'pickImageFile':
        return this.pickImageFile(message.imageId);
      case 'rendered':
        this.services.log.info(
          `${this.session.detections.name}: shown ${message.metric} results #${message.resultId}: ${message.values.map((v) => `${v.name} ${v.text}`).join(', ')}; ${message.charts} PR charts; drawn in ${message.drawMs.toFixed(0)} ms`,
        );
        return;
      case 'imageShown':
        return;
      case 'log':
        this.services.log[message.level === 'warning' ? 'warn' : message.level](
          `webview (${this.session.detections.name}): ${message.message}`,
        );
        return;
    }
  }

  async showMetric(metric: MetricKind, iouThreshold = 0.5): Promise<ShowMetricOutcome> {
    const key = resultsKey(metric, iouThreshold);
    const cached = this.results.get(key);
    if (cached) {
      this.running?.controller.abort();
      this.currentKey = key;
      this.postResults(cached);
      return 'shown';
    }
    if (metric === 'coco') return 'failed'; // always cached: the command evaluates COCO before the panel exists
    if (this.running?.key === key) return this.running.done;
    this.running?.controller.abort();
    const controller = new AbortController();
    const done = this.evaluateVoc(metric, iouThreshold, controller);
    this.running = { key, controller, done };
    try {
      return await done;
    } finally {
      if (this.running?.controller === controller) this.running = undefined;
    }
  }

  private async evaluateVoc(metric: VocMetric, iouThreshold: number, controller: AbortController): Promise<ShowMetricOutcome> {
    const session = this.session;
    const label = metric === 'voc07' ? 'VOC2007 11-point AP' : 'VOC2010+ AP';
    let shownPercent = -1;
    const started = performance.now();
    try {
      const outcome = await withEvaluationProgress(
        `ConvLens: ${label} at IoU ${iouThreshold} for ${session.detections.name}`,
        { signal: controller.signal },
        (reporter) => {
          const control = reporter.control(label);
          return evaluateVocAsync(session.dataset, metric, iouThreshold, {
            ...control,
            onProgress: (fraction) => {
              control.onProgress?.(fraction);
              const percent = Math.floor(fraction * 100);
              if (percent > shownPercent) {
                shownPercent = percent;
                this.post({ type: 'progress', metric, fraction });
              }
            },
          });
        },
      );
      if (outcome.status === 'cancelled') {
        this.post({
          type: 'evaluationStopped',
          metric,
          reason: 'cancelled',
          message: `${label} cancelled; still showing the previous results`,
        });
        return 'cancelled';
      }
      if (this.session !== session || this.view.isDisposed) return 'cancelled';
      const results = vocResultsMessage(outcome.result, 0, performance.now() - started);
      const key = resultsKey(metric, iouThreshold);
      this.results.set(key, results);
      this.currentKey = key;
      this.services.log.info(
        `${session.detections.name}: ${label} at IoU ${iouThreshold}: mAP ${outcome.result.mAP} in ${results.evaluateMs.toFixed(0)} ms`,
      );
      this.postResults(results);
      return 'shown';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.services.log.error(`${session.detections.name}: ${label} failed: ${message}`);
      this.post({ type: 'evaluationStopped', metric, reason: 'failed', message: `${label} failed: ${message}` });
      return 'failed';
    }
  }

  private async pickImageFile(imageId: number): Promise<void> {
    const meta = this.session.meta.get(imageId);
    const folder = vscode.Uri.joinPath(this.session.groundTruth.uri, '..');
    const guess = meta?.fileName ? vscode.Uri.joinPath(folder, meta.fileName) : folder;
    const picked = await vscode.window.showOpenDialog({
      title: `ConvLens: picture of image ${imageId}${meta?.fileName ? ` (${meta.fileName})` : ''}`,
      openLabel: 'Show under the boxes',
      canSelectMany: false,
      defaultUri: guess,
      filters: { Images: Object.keys(IMAGE_MIME) },
    });
    const uri = picked?.[0];
    if (uri !== undefined) await this.showImageFile(imageId, uri);
  }

  async showImageFile(imageId: number, uri: vscode.Uri): Promise<void> {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_IMAGE_BYTES) throw new Error(`${fileName(uri)} is larger than ${MAX_IMAGE_BYTES / 2 ** 20} MiB`);
    // The Node host's readFile gives a Buffer, whose toJSON would turn it into {type, data}
    // before postMessage transfers typed arrays: a plain Uint8Array reaches the webview as bytes.
    const bytes = new Uint8Array(await vscode.workspace.fs.readFile(uri));
    const extension = fileName(uri).split('.').pop()?.toLowerCase() ?? '';
    this.post({ type: 'imagePixels', imageId, name: fileName(uri), mime: IMAGE_MIME[extension] ?? 'application/octet-stream', bytes });
  }

  /**
   * What the handle becomes when the command's result is serialized (the workbench does so when
   * the command runs from a menu or the palette): a name, not the dataset behind it.
   */
  toJSON(): { view: string; groundTruth: string; detections: string } {
    return { view: METRICS_VIEW_TYPE, groundTruth: this.session.groundTruth.name, detections: this.session.detections.name };
  }

  dispose(): void {
    this.view.dispose();
  }
}
