// The lifecycle every ConvLens webview panel shares: the panel with its strict page (./html.ts;
// scripts and resources from dist/webview only), typed messages both ways (`In` to the page, `Out`
// from it), every message from the page validated before anything acts on it (a malformed one is
// logged and dropped), the reports tests and other extensions wait for, and disposal.

import * as vscode from 'vscode';
import type { Validated } from '../../shared/validate';
import { makeNonce, webviewHtml, type WebviewPage } from './html';

export interface WebviewPanelOptions<Out> {
  viewType: string;
  title: string;
  page: WebviewPage;
  extensionUri: vscode.Uri;
  column: vscode.ViewColumn;
  preserveFocus: boolean;
  /** Keep the page alive while hidden (the preview's runs and activations). */
  retainContextWhenHidden?: boolean;
  validate(raw: unknown): Validated<Out>;
  /** Messages `waitFor` finds after they arrived (the page's reports); others only while awaited. */
  remember(message: Out): boolean;
  /** Handles a valid message; a rejection is passed to `onError`. */
  handle(message: Out): Promise<void> | void;
  onError(error: unknown): void;
  /** Logs a malformed message (the panel's name is the caller's to add). */
  onMalformed(error: string): void;
  /** Called once, when the panel closes or is disposed. */
  onDispose(): void;
}

/** How many remembered reports a panel keeps. */
const HISTORY = 64;

export class WebviewPanel<In, Out> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly received = new vscode.EventEmitter<Out>();
  /** Every valid message the page sent. */
  readonly onDidReceive = this.received.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly history: Out[] = [];
  private disposed = false;

  constructor(private readonly options: WebviewPanelOptions<Out>) {
    const root = vscode.Uri.joinPath(options.extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel(
      options.viewType,
      options.title,
      { viewColumn: options.column, preserveFocus: options.preserveFocus },
      { enableScripts: true, localResourceRoots: [root], ...(options.retainContextWhenHidden ? { retainContextWhenHidden: true } : {}) },
    );
    const webview = this.panel.webview;
    const bundle = (extension: string): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(root, `${options.page.bundle}.${extension}`)).toString();
    webview.html = webviewHtml(options.page, {
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: bundle('js'),
      styleUri: bundle('css'),
      title: options.title,
    });
    this.disposables.push(
      this.received,
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  post(message: In): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  /** The first message, already received (if remembered) or still to come, that satisfies `predicate`; rejects if the panel closes first. */
  waitFor<T extends Out>(predicate: (message: Out) => message is T, closed: string): Promise<T> {
    const seen = this.history.find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<T>((resolve, reject) => {
      if (this.disposed) {
        reject(new Error(closed));
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
          reject(new Error(closed));
        }),
      );
    });
  }

  private receive(raw: unknown): void {
    const validated = this.options.validate(raw);
    if (!validated.ok) {
      this.options.onMalformed(validated.error);
      return;
    }
    const message = validated.message;
    if (this.options.remember(message)) {
      this.history.push(message);
      if (this.history.length > HISTORY) this.history.shift();
    }
    this.received.fire(message);
    try {
      void Promise.resolve(this.options.handle(message)).catch((error: unknown) => this.options.onError(error));
    } catch (error) {
      this.options.onError(error);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.options.onDispose();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
