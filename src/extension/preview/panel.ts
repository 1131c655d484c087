// One "Preview Layer Outputs" panel for one model file: builds the webview (strict CSP, resources
// from dist/webview only), answers the webview's requests (pick an image or weights, reveal a
// layer), and forwards the model (a YAML file's text, a TypeScript file's parsed spec), weights
// and the cursor's layer to it. Every message from the webview is validated; malformed ones are
// logged and dropped.

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
import { makeNonce, previewHtml } from './html';
import { specModelSource } from './model-source';
import { DEFAULT_WEIGHTS, fileName, imageMime, loadWeights, pickImageFile, pickWeightsFile, readPickedFile, type WeightsMemory } from './sources';
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

const HISTORY = 64;

export class PreviewPanel implements PreviewHandle, vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly received = new vscode.EventEmitter<FromWebviewMessage>();
  readonly onDidReceive = this.received.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly history: FromWebviewMessage[] = [];
  private image: ImageMessage | undefined;
  private lastCursor: string | null | undefined;
  private disposed = false;
  lastResult: RenderedMessage | RunFailedMessage | undefined;

  constructor(
    readonly modelUri: vscode.Uri,
    private readonly services: PreviewServices,
    column: vscode.ViewColumn,
    private readonly onDispose: () => void,
  ) {
    const root = vscode.Uri.joinPath(services.extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      `Preview: ${fileName(modelUri)}`,
      { viewColumn: column, preserveFocus: true },
      // Retained while hidden: a run can take seconds (drawing a large model's random weights,
      // then its layers) and its activations are what the views show; its memory is bounded by
      // convlens.preview.memoryBudgetMB.
      { enableScripts: true, localResourceRoots: [root], retainContextWhenHidden: true },
    );
    const webview = this.panel.webview;
    webview.html = previewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'preview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'preview.css')).toString(),
      title: `Preview: ${fileName(modelUri)}`,
    });
    this.disposables.push(
      this.received,
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  waitFor<T extends FromWebviewMessage>(predicate: (message: FromWebviewMessage) => message is T): Promise<T> {
    const seen = this.history.find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<T>((resolve, reject) => {
      if (this.disposed) {
        reject(new Error('the preview panel was closed'));
        return;
      }
      const listeners: vscode.Disposable[] = [];
      const done = (): void => listeners.forEach((l) => l.dispose());
      listeners.push(
        this.onDidReceive((message) => {
          if (predicate(message)) {
            done();
            resolve(message);
          }
        }),
        this.panel.onDidDispose(() => {
          done();
          reject(new Error('the preview panel was closed'));
        }),
      );
    });
  }

  private post(message: ToWebviewMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private notice(level: 'info' | 'warning' | 'error', message: string): void {
    this.services.log[level === 'warning' ? 'warn' : level](`${fileName(this.modelUri)}: ${message}`);
    this.post({ type: 'notice', level, message });
  }

  private receive(raw: unknown): void {
    const validated = validateFromWebview(raw);
    if (!validated.ok) {
      this.services.log.error(`preview of ${fileName(this.modelUri)}: rejected a malformed message from the webview: ${validated.error}`);
      return;
    }
    const message = validated.message;
    if (message.type === 'rendered' || message.type === 'runFailed' || message.type === 'shown') {
      this.history.push(message);
      if (this.history.length > HISTORY) this.history.shift();
      if (message.type !== 'shown') this.lastResult = message;
    }
    this.received.fire(message);
    void this.handle(message).catch((error: unknown) => this.notice('error', error instanceof Error ? error.message : String(error)));
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
        this.services.log.info(
          `${fileName(this.modelUri)} v${message.modelVersion}: ${message.layers.length} layers in ${message.totalMs.toFixed(1)} ms, ${message.weights}, ${message.input}`,
        );
        return;
      case 'runFailed':
        if (message.reason !== 'cancelled') this.services.log.warn(`${fileName(this.modelUri)} v${message.modelVersion}: ${message.reason}: ${message.message}`);
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
      this.notice('warning', `could not read the remembered weights (${error instanceof Error ? error.message : String(error)}); using random weights`);
    }
    if (this.image) this.post(this.image);
    await this.sendModel();
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.modelUri.toString());
    if (editor) this.sendCursor(editor.document, editor.selection.active);
  }

  /**
   * Posts the model as of the document's current version (unsaved edits included) and the
   * settings that affect a run: a YAML file's text, which the worker parses; for a TypeScript
   * file, the spec its front end parsed (the `typescript` module stays in the extension host).
   */
  async sendModel(): Promise<void> {
    const document = await vscode.workspace.openTextDocument(this.modelUri);
    const settings = previewSettings(this.modelUri);
    const common = {
      type: 'model',
      uri: this.modelUri.toString(),
      fileName: fileName(this.modelUri),
      version: document.version,
      options: { batchSize: settings.batchSize ?? null, bytesPerElement: settings.bytesPerElement },
      memoryBudgetMB: settings.memoryBudgetMB,
    } as const;
    if (modelKind(document) === 'yaml') this.post({ ...common, text: document.getText() });
    else this.post({ ...common, source: specModelSource(this.services.cache.get(document).result) });
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
      this.notice('warning', 'TensorFlow.js models run with random weights: a .safetensors file holds a PyTorch state_dict, whose tensor names and layouts TensorFlow.js layers do not have');
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
    if (this.disposed) return;
    this.disposed = true;
    this.onDispose();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
