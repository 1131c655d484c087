// A CodeLens above the model with its totals (params, MACs or FLOPs, output shape); clicking it
// opens the model summary. Off with `convlens.codeLens.enabled`.

import * as vscode from 'vscode';
import type { AnalysisCache } from './analysis-cache';
import { Commands } from './commands';
import { MODEL_SELECTOR } from './documents';
import { affectsDisplay, readSettings } from './settings';
import { totalsLine } from './summary-table';

export function registerCodeLens(context: vscode.ExtensionContext, cache: AnalysisCache): void {
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    changed,
    cache.onDidAnalyze(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsDisplay(event)) changed.fire();
    }),
    vscode.languages.registerCodeLensProvider(MODEL_SELECTOR, {
      onDidChangeCodeLenses: changed.event,
      async provideCodeLenses(document) {
        const settings = readSettings(document.uri);
        if (!settings.codeLens) return [];
        const model = (await cache.current(document)).result.model;
        if (!model || model.layers.length === 0) return [];
        // Above the first layer, where the eye goes when reading the model.
        const line = model.layers[0]!.spec.range.start.line;
        const range = new vscode.Range(line, 0, line, 0);
        return [
          new vscode.CodeLens(range, {
            title: `ConvLens: ${totalsLine(model, settings.counting)}`,
            tooltip: 'Show the model summary',
            command: Commands.showModelSummary,
            arguments: [document.uri],
          }),
        ];
      },
    }),
  );
}
