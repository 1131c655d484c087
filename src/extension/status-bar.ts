// A status-bar item with the active model's totals; clicking it opens the summary. Off with
// `convlens.statusBar.enabled`.

import * as vscode from 'vscode';
import type { AnalysisCache } from './analysis-cache';
import { Commands } from './commands';
import { isModelDocument } from './documents';
import { affectsDisplay, readSettings } from './settings';
import { totalsLine } from './summary-table';

export function registerStatusBar(context: vscode.ExtensionContext, cache: AnalysisCache): void {
  const item = vscode.window.createStatusBarItem('convlens.totals', vscode.StatusBarAlignment.Right, 100);
  item.name = 'ConvLens model totals';
  item.command = Commands.showModelSummary;
  const update = (): void => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !isModelDocument(document) || !readSettings(document.uri).statusBar) {
      item.hide();
      return;
    }
    const analysis = cache.latest(document.uri) ?? cache.get(document);
    const model = analysis.result.model;
    if (!model) {
      item.hide();
      return;
    }
    const errors = analysis.result.diagnostics.filter((d) => d.severity === 'error').length;
    item.text = `$(symbol-structure) ${totalsLine(model, readSettings(document.uri).counting)}`;
    item.tooltip =
      errors > 0
        ? `ConvLens: ${errors} error(s); layers after an error have no shape. Click for the summary.`
        : 'ConvLens: click for the model summary';
    item.show();
  };
  context.subscriptions.push(
    item,
    cache.onDidAnalyze((event) => {
      if (event.uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) update();
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsDisplay(event)) update();
    }),
  );
  update();
}
