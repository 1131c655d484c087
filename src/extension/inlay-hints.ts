// Inline shapes: each layer's output shape after its parameters (`→ [1, 6, 28, 28]`), and the
// resolved input shape after a dataset preset. Off with `convlens.inlineShapes.enabled`.

import * as vscode from 'vscode';
import { describeShape, type AnalyzedLayer, type ModelAnalysis, type Range } from '../core';
import { formatInteger } from '../core/format';
import type { AnalysisCache } from './analysis-cache';
import { toPosition, toRange } from './convert';
import { MODEL_SELECTOR, modelKind } from './documents';
import { computeText } from './hover-content';
import { affectsDisplay, readSettings, type Counting } from './settings';

export function registerInlayHints(context: vscode.ExtensionContext, cache: AnalysisCache): void {
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    changed,
    cache.onDidAnalyze(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsDisplay(event)) changed.fire();
    }),
    vscode.languages.registerInlayHintsProvider(MODEL_SELECTOR, {
      onDidChangeInlayHints: changed.event,
      async provideInlayHints(document, range) {
        const settings = readSettings(document.uri);
        if (!settings.inlineShapes) return [];
        const model = (await cache.current(document)).result.model;
        if (!model) return [];
        return inlayHints(document, model, settings.counting).filter((hint) => range.contains(hint.position));
      },
    }),
  );
}

function inlayHints(document: vscode.TextDocument, model: ModelAnalysis, counting: Counting): vscode.InlayHint[] {
  const hints: vscode.InlayHint[] = [];
  const input = model.spec.input;
  if (input?.dataset && model.input) {
    hints.push(hint(toPosition(input.range.end), `→ ${describeShape(model, model.input)}`, `${input.dataset} preset`));
  }
  const yaml = modelKind(document) === 'yaml';
  for (const layer of model.layers) {
    if (!layer.outputShape) continue;
    // TensorFlow.js `activation: 'relu'` becomes a layer inside its owner's call: the owner's
    // hint, right after the call, already shows the shape (activations keep it).
    if (!yaml && model.layers.some((other) => other !== layer && containsRange(other.spec.range, layer.spec.range))) continue;
    const position = yaml ? hintPosition(document, layer) : toPosition(layer.spec.range.end);
    hints.push(hint(position, `→ ${describeShape(model, layer.outputShape)}`, layerTooltip(layer, counting)));
  }
  return hints;
}

function containsRange(outer: Range, inner: Range): boolean {
  return toRange(outer).contains(toRange(inner)) && !toRange(outer).isEqual(toRange(inner));
}

/** YAML: after the parameter mapping when it ends on the kind's line, else at the end of that line. */
function hintPosition(document: vscode.TextDocument, layer: AnalyzedLayer): vscode.Position {
  const { kindRange, paramsRange } = layer.spec;
  if (paramsRange.end.line === kindRange.start.line && paramsRange.end.character > kindRange.end.character) {
    return toPosition(paramsRange.end);
  }
  const line = document.lineAt(kindRange.start.line);
  return line.range.start.translate(0, line.text.trimEnd().length);
}

function layerTooltip(layer: AnalyzedLayer, counting: Counting): string {
  const parts = [`${layer.name} (${layer.kind})`, `${formatInteger(layer.params)} params`];
  if (layer.macs > 0n) parts.push(computeText(layer.macs, counting));
  return parts.join(' · ');
}

function hint(position: vscode.Position, label: string, tooltip: string): vscode.InlayHint {
  const result = new vscode.InlayHint(position, label, vscode.InlayHintKind.Type);
  result.paddingLeft = true;
  result.tooltip = tooltip;
  return result;
}
