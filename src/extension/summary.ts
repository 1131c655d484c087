// "ConvLens: Show Model Summary": a torchinfo-like table as a Markdown preview beside the model,
// kept up to date as the model changes; plus copying the summary as Markdown or CSV.

import * as vscode from 'vscode';
import type { ModelAnalysis } from '../core';
import type { AnalysisCache } from './analysis-cache';
import { Commands } from './commands';
import { isModelDocument } from './documents';
import { readSettings } from './settings';
import { summaryCsv, summaryMarkdown } from './summary-table';

export const SUMMARY_SCHEME = 'convlens-summary';

/** `convlens-summary:/lenet5.cnn.yaml (summary).md?<model uri>` */
export function summaryUri(source: vscode.Uri): vscode.Uri {
  const base = source.path.split('/').pop() ?? 'model';
  return vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${base} (summary).md`, query: source.toString() });
}

function sourceOf(summary: vscode.Uri): vscode.Uri {
  return vscode.Uri.parse(summary.query);
}

export function registerSummary(context: vscode.ExtensionContext, cache: AnalysisCache): void {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const open = new Set<string>();

  const modelFor = async (source: vscode.Uri): Promise<{ model: ModelAnalysis; document: vscode.TextDocument } | undefined> => {
    const document = await vscode.workspace.openTextDocument(source);
    const model = (await cache.current(document)).result.model;
    return model ? { model, document } : undefined;
  };

  /** The model the user means: the argument, the active model editor, or the active summary's source. */
  const targetUri = (arg: unknown): vscode.Uri | undefined => {
    if (arg instanceof vscode.Uri) return arg.scheme === SUMMARY_SCHEME ? sourceOf(arg) : arg;
    const active = vscode.window.activeTextEditor?.document;
    if (active && isModelDocument(active)) return active.uri;
    if (active?.uri.scheme === SUMMARY_SCHEME) return sourceOf(active.uri);
    const visible = vscode.window.visibleTextEditors.find((e) => isModelDocument(e.document));
    return visible?.document.uri;
  };

  const copy = async (arg: unknown, format: 'markdown' | 'csv'): Promise<string | undefined> => {
    const source = targetUri(arg);
    const found = source && (await modelFor(source));
    if (!found) {
      void vscode.window.showWarningMessage('ConvLens: open a *.cnn.yaml model that parses to copy its summary.');
      return undefined;
    }
    const settings = readSettings(found.document.uri);
    const title = vscode.workspace.asRelativePath(found.document.uri);
    const text =
      format === 'csv' ? summaryCsv(found.model) : summaryMarkdown(found.model, title, settings.counting, settings.bytesPerElement);
    try {
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(`ConvLens: summary copied as ${format === 'csv' ? 'CSV' : 'Markdown'}`, 3000);
    } catch (error) {
      // A browser-hosted workbench may refuse clipboard access; the text is still returned.
      void vscode.window.showWarningMessage(`ConvLens: could not write to the clipboard (${String(error)})`);
    }
    return text;
  };

  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, {
      onDidChange: changed.event,
      async provideTextDocumentContent(uri) {
        open.add(uri.toString());
        const source = sourceOf(uri);
        const found = await modelFor(source);
        if (!found) return `# ConvLens\n\n\`${source.path}\` does not parse into a model yet: see the Problems panel.\n`;
        const settings = readSettings(source);
        return summaryMarkdown(found.model, vscode.workspace.asRelativePath(source), settings.counting, settings.bytesPerElement);
      },
    }),
    cache.onDidAnalyze((event) => {
      const uri = summaryUri(event.uri);
      if (open.has(uri.toString())) changed.fire(uri);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme === SUMMARY_SCHEME) open.delete(document.uri.toString());
    }),
    vscode.commands.registerCommand(Commands.showModelSummary, async (arg?: unknown) => {
      const source = targetUri(arg);
      if (!source) {
        void vscode.window.showWarningMessage('ConvLens: open a *.cnn.yaml model first.');
        return undefined;
      }
      const uri = summaryUri(source);
      try {
        await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
      } catch {
        // No Markdown preview (e.g. the built-in extension is disabled): show the Markdown text.
        await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      }
      return uri;
    }),
    vscode.commands.registerCommand(Commands.copySummaryMarkdown, (arg?: unknown) => copy(arg, 'markdown')),
    vscode.commands.registerCommand(Commands.copySummaryCsv, (arg?: unknown) => copy(arg, 'csv')),
  );
}
