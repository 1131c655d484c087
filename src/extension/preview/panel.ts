// One "Preview Layer Outputs" panel for one model file (the webview's lifecycle, page and message
// checks are every panel's: ../webview/panel.ts): answers the webview's requests (pick an image or
// weights, reveal a layer), and forwards the model (the host's analysis of it), weights and the
// cursor's layer to it.

import * as vscode from 'vscode';
import type { AnalysisCache } from '../analysis-cache';
import { modelKind } from '../documents';
import { layerAt } from '../locate';
import { toRange } from '../convert';
import {
  validateFromWebview,
  type FromWebviewMessage,
  type ImageMessage,
  type RenderedMessage,
  type RunFailedMessage,
  type ToWebviewMessage,
} from '../../shared/preview-messages';
import { WebviewPanel } from '../webview/panel';
import { PREVIEW_PAGE } from './html';
import { previewModel } from './refusals';
import {
  DEFAULT_WEIGHTS,
  fileName,
  imageMime,
  loadWeights,
  pickImageFile,
  pickWeightsFile,
  readPickedFile,
  type WeightsMemory,
} from './sources';
import { previewSettings } from './settings';

export const PREVIEW_VIEW_TYPE = 'convlens.preview';

/** What the command returns: lets tests (and other extensions) wait for the preview's results. */
export interface PreviewHandle {
  readonly modelUri: vscode.Uri;
  readonly panel: vscode.WebviewPanel;
  /** Every valid message the webview sent. */
  readonly onDidReceive: vscode.Event<FromWebviewMessage>;
  /**
   * The first message, already received or still to come, that satisfies `predicate` (reports:
   * `rendered`, `runFailed`, `shown`). Rejects when the panel closes first.
   */
  waitFor<T extends FromWebviewMessage>(predicate: (message: FromWebviewMessage) => message is T): Promise<T>;
  /** The latest result of a run, if any. */
  readonly lastResult: RenderedMessage | RunFailedMessage | undefined;
  /** Selects a layer's name (or kind) in the model's editor: what a click on a layer in the panel does. */
  revealLayer(name: string): Promise<void>;
}

/** Services a panel needs from the extension. */
export interface PreviewServices {
  extensionUri: vscode.Uri;
  cache: AnalysisCache;
  weights: WeightsMemory;
  log: vscode.LogOutputChannel;
  workerSource(): Promise<string>;
}

export class PreviewPanel implements PreviewHandle, vscode.Disposable {
  private readonly view: WebviewPanel<ToWebviewMessage, FromWebviewMessage>;
  readonly panel: vscode.WebviewPanel;
  readonly onDidReceive: vscode.Event<FromWebviewMessage>;
  private image: ImageMessage | undefined;
  private lastCursor: string | null | undefined;
  lastResult: RenderedMessage | RunFailedMessage | undefined;

  constructor(
    readonly modelUri: vscode.Uri,
    private readonly services: PreviewServices,
    column: vscode.ViewColumn,
    onDispose: () => void,
  ) {
    this.view = new WebviewPanel({
      viewType: PREVIEW_VIEW_TYPE,
      title: `Preview: ${fileName(modelUri)}`,
      page: PREVIEW_PAGE,
      extensionUri: services.extensionUri,
      column,
      preserveFocus: true,
      // Retained while hidden: a run can take seconds (drawing a large model's random weights,
      // then its layers) and its activations are what the views show; its memory is bounded by
      // convlens.preview.memoryBudgetMB.
      retainContextWhenHidden: true,
      validate: validateFromWebview,
      remember: (message) => message.type === 'rendered' || message.type === 'runFailed' || message.type === 'shown',
      handle: (message) => this.handle(message),
      onError: (error) => this.notice('error', error instanceof Error ? error.message : String(error)),
      onMalformed: (error) =>
        services.log.error(`preview of ${fileName(modelUri)}: rejected a malformed message from the webview: ${error}`),
      onDispose,
    });
    this.panel = this.view.panel;
    this.onDidReceive = this.view.onDidReceive;
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  get isDisposed(): boolean {
    return this.view.isDisposed;
  }

  waitFor<T extends FromWebviewMessage>(predicate: (message: FromWebviewMessage) => message is T): Promise<T> {
    return this.view.waitFor(predicate, 'the preview panel was closed');
  }

  private post(message: ToWebviewMessage): void {
    this.view.post(message);
  }

  private notice(level: 'info' | 'warning' | 'error', message: string): void {
    this.services.log[level === 'warning' ? 'warn' : level](`${fileName(this.modelUri)}: ${message}`);
    this.post({ type: 'notice', level, message });
  }

  private async handle(message: FromWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.start();
      case 'revealLayer':
        return this.revealLayer(message.layer);
      case 'pickImage':
        return this.pickImage();
      case 'pickWeights':
        return this.pickWeights();
      case 'useRandomWeights':
        await this.services.weights.set(this.modelUri, { kind: 'random', seed: message.seed });
        this.post({ type: 'weights', weights: { kind: 'random', seed: message.seed } });
        return;
      case 'rendered':
        this.lastResult = message;
        this.services.log.info(
          `${fileName(this.modelUri)} v${message.modelVersion}: ${message.layers.length} layers in ${message.totalMs.toFixed(1)} ms, ${message.weights}, ${message.input}`,
        );
        return;
      case 'runFailed':
        this.lastResult = message;
        if (message.reason !== 'cancelled')
          this.services.log.warn(`${fileName(this.modelUri)} v${message.modelVersion}: ${message.reason}: ${message.message}`);
        return;
      case 'shown':
        return;
      case 'log':
        this.services.log[message.level === 'warning' ? 'warn' : message.level](`webview (${fileName(this.modelUri)}): ${message.message}`);
        return;
    }
  }

  /** The webview (re)started: send everything it needs, in the order it expects. */
  private async start(): Promise<void> {
    this.lastCursor = undefined;
    this.post({ type: 'init', workerSource: await this.services.workerSource() });
    const budget = previewSettings(this.modelUri).memoryBudgetBytes;
    const choice = this.services.weights.get(this.modelUri);
    try {
      this.post({ type: 'weights', weights: await loadWeights(choice, budget) });
    } catch (error) {
      this.post({ type: 'weights', weights: DEFAULT_WEIGHTS });
      this.notice(
        'warning',
        `could not read the remembered weights (${error instanceof Error ? error.message : String(error)}); using random weights`,
      );
    }
    if (this.image) this.post(this.image);
    await this.sendModel();
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.modelUri.toString());
    if (editor) this.sendCursor(editor.document, editor.selection.active);
  }

  /**
   * Posts the model as of the document's current version (unsaved edits included) and the
   * settings that affect a run: the analysis the editor holds for this version (any front end),
   * or why the preview cannot run it.
   */
  async sendModel(): Promise<void> {
    const document = await vscode.workspace.openTextDocument(this.modelUri);
    const settings = previewSettings(this.modelUri);
    this.post({
      type: 'model',
      uri: this.modelUri.toString(),
      fileName: fileName(this.modelUri),
      version: document.version,
      model: previewModel(this.services.cache.get(document).result),
      memoryBudgetMB: settings.memoryBudgetMB,
    });
  }

  /** Tells the webview which layer the cursor is on, when that changes. */
  sendCursor(document: vscode.TextDocument, position: vscode.Position): void {
    const model = this.services.cache.get(document).result.model ?? this.services.cache.lastWithModel(document.uri)?.result.model;
    if (model === undefined) return;
    const onInput = model.spec.input !== undefined && toRange(model.spec.input.range).contains(position);
    const layer = onInput ? 'input' : (layerAt(model, position)?.name ?? null);
    if (layer === this.lastCursor) return;
    this.lastCursor = layer;
    this.post({ type: 'cursor', layer });
  }

  async revealLayer(name: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument(this.modelUri);
    const model = this.services.cache.get(document).result.model;
    const spec = model?.byName.get(name)?.spec;
    const range = name === 'input' ? model?.spec.input?.range : (spec?.nameRange ?? spec?.kindRange);
    if (range === undefined) return;
    const target = toRange(range);
    const editor =
      vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.modelUri.toString()) ??
      (await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preserveFocus: true }));
    // The selection change comes back as a cursor message for this same layer: remember it so it
    // is not sent back to the webview.
    this.lastCursor = name;
    editor.selection = new vscode.Selection(target.start, target.end);
    editor.revealRange(target, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async pickImage(): Promise<void> {
    const uri = await pickImageFile(this.modelUri);
    if (uri === undefined) return;
    const bytes = await readPickedFile(uri, 64 * 2 ** 20, 'images');
    this.image = { type: 'image', name: fileName(uri), mime: imageMime(uri), bytes };
    this.post(this.image);
  }

  private async pickWeights(): Promise<void> {
    if (modelKind(await vscode.workspace.openTextDocument(this.modelUri)) === 'tfjs') {
      this.notice(
        'warning',
        'TensorFlow.js models run with random weights: a .safetensors file holds a PyTorch state_dict, whose tensor names and layouts TensorFlow.js layers do not have',
      );
      return;
    }
    const uri = await pickWeightsFile(this.modelUri);
    if (uri === undefined) return;
    const choice = { kind: 'file', uri: uri.toString() } as const;
    const weights = await loadWeights(choice, previewSettings(this.modelUri).memoryBudgetBytes);
    await this.services.weights.set(this.modelUri, choice);
    this.post({ type: 'weights', weights });
  }

  dispose(): void {
    this.view.dispose();
  }
}
