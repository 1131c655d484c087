// Hovers on layers (kind key, name, any parameter, a `from` reference) and on the model input.

import * as vscode from 'vscode';
import type { AnalysisCache } from './analysis-cache';
import { toRange } from './convert';
import { MODEL_SELECTOR } from './documents';
import { inputHoverMarkdown, layerHoverMarkdown } from './hover-content';
import { targetAt } from './locate';
import { readSettings } from './settings';

export function registerHover(context: vscode.ExtensionContext, cache: AnalysisCache): void {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(MODEL_SELECTOR, {
      async provideHover(document, position) {
        const model = (await cache.current(document)).result.model;
        if (!model) return undefined;
        let target = targetAt(model, position);
        if (!target && model.spec.input) {
          // The `input` key itself: the parser gives the value's range; the key sits on its line.
          const word = document.getWordRangeAtPosition(position);
          if (word && document.getText(word) === 'input' && word.start.line === model.spec.input.range.start.line) {
            target = { type: 'input', range: { start: word.start, end: word.end } };
          }
        }
        if (!target) return undefined;
        const settings = readSettings(document.uri);
        const text =
          target.type === 'input'
            ? inputHoverMarkdown(model, settings.bytesPerElement)
            : layerHoverMarkdown(target.layer, model, settings.counting);
        const markdown = new vscode.MarkdownString(text);
        markdown.supportHtml = false;
        markdown.isTrusted = false;
        return new vscode.Hover(markdown, toRange(target.range));
      },
    }),
  );
}
