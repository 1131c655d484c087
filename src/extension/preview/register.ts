// "ConvLens: Preview Layer Outputs": one preview panel per model file (`*.cnn.yaml`, `*.cnn.ts`,
// TensorFlow.js layers code), kept in step with the editor: edits re-run it (debounced), the
// cursor's layer is shown, settings changes re-run it. Everything registered here goes into
// context.subscriptions.

import * as vscode from 'vscode';
import type { AnalysisCache } from '../analysis-cache';
import { Commands } from '../commands';
import { isModelDocument } from '../documents';
import { PreviewPanel, type PreviewHandle } from './panel';
import { affectsPreview } from './settings';
import { WeightsMemory } from './sources';

/** Pause after the last edit before the preview re-runs the model. */
export const PREVIEW_DEBOUNCE_MS = 500;

export function registerPreview(context: vscode.ExtensionContext, cache: AnalysisCache): void {
  const panels = new Map<string, PreviewPanel>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const log = vscode.window.createOutputChannel('ConvLens Preview', { log: true });
  const weights = new WeightsMemory(context.workspaceState);
  let workerSource: Promise<string> | undefined;
  const services = {
    extensionUri: context.extensionUri,
    cache,
    weights,
    log,
    workerSource: (): Promise<string> => {
      // Read once per activation; a failed read is retried next time.
      workerSource ??= Promise.resolve(
        vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', 'preview-worker.js')),
      ).then(
        (bytes) => new TextDecoder().decode(bytes),
        (error: unknown) => {
          workerSource = undefined;
          throw error;
        },
      );
      return workerSource;
    },
  };

  const open = async (arg?: unknown): Promise<PreviewHandle | undefined> => {
    const uri = await targetModel(arg);
    if (uri === undefined) return undefined;
    const key = uri.toString();
    const existing = panels.get(key);
    if (existing && !existing.isDisposed) {
      existing.reveal();
      return existing;
    }
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = new PreviewPanel(uri, services, column, () => {
      panels.delete(key);
      const timer = timers.get(key);
      if (timer !== undefined) clearTimeout(timer);
      timers.delete(key);
    });
    panels.set(key, panel);
    return panel;
  };

  const rerun = (uri: vscode.Uri, delayMs: number): void => {
    const key = uri.toString();
    const panel = panels.get(key);
    if (panel === undefined) return;
    const timer = timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void panel.sendModel().catch((error: unknown) => log.error(`preview: ${String(error)}`));
      }, delayMs),
    );
  };

  context.subscriptions.push(
    log,
    vscode.commands.registerCommand(Commands.previewLayerOutputs, open),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0) rerun(event.document.uri, PREVIEW_DEBOUNCE_MS);
    }),
    vscode.window.onDidChangeTextEditorSelection((event) => {
      const panel = panels.get(event.textEditor.document.uri.toString());
      const active = event.selections[0]?.active;
      if (panel && active) panel.sendCursor(event.textEditor.document, active);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!affectsPreview(event)) return;
      for (const panel of panels.values()) rerun(panel.modelUri, 0);
    }),
    {
      dispose: () => {
        for (const timer of timers.values()) clearTimeout(timer);
        for (const panel of [...panels.values()]) panel.dispose();
      },
    },
  );
}

/** The model the user means: the argument, the active model editor, a visible one, or a pick. */
async function targetModel(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return checkModel(arg);
  const active = vscode.window.activeTextEditor?.document;
  if (active && isModelDocument(active)) return active.uri;
  const visible = vscode.window.visibleTextEditors.find((e) => isModelDocument(e.document));
  if (visible) return visible.document.uri;
  // TensorFlow.js code can be in any script: only models named *.cnn.* are offered unopened.
  const files = await vscode.workspace.findFiles('**/*.cnn.{yaml,yml,ts,mts,cts,js,mjs,cjs}', '**/node_modules/**', 200);
  if (files.length === 0) {
    void vscode.window.showWarningMessage(`ConvLens: open a model (${MODEL_FILES}) to preview its layer outputs.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'ConvLens: Preview Layer Outputs', placeHolder: 'Model to preview' },
  );
  return picked?.uri;
}

const MODEL_FILES = '*.cnn.yaml, *.cnn.ts or TensorFlow.js layers code';

async function checkModel(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
  // A plain script is a model only if it holds TensorFlow.js layers code: that takes its text.
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(uri);
  } catch (error) {
    void vscode.window.showWarningMessage(
      `ConvLens: cannot open ${uri.path.split('/').pop() ?? uri.path}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
  if (isModelDocument(document)) return uri;
  void vscode.window.showWarningMessage(`ConvLens: the preview runs model files (${MODEL_FILES}).`);
  return undefined;
}
