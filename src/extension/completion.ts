// Completion for layer kinds, their parameters (with defaults and docs, from the core's layer
// registry), parameter values, `from` references, dataset presets and the top-level keys.

import * as vscode from 'vscode';
import { getLayerKind, kindsFor, type LayerKindDef, type ParamSchema } from '../core';
import { DATASET_PRESETS } from '../core/datasets';
import type { AnalysisCache } from './analysis-cache';
import { completionContextAt, type CompletionContext } from './completion-context';
import { YAML_MODEL_SELECTOR } from './documents';

/** Registry kinds not meant to be written by hand (the TypeScript front end's placeholder). */
const HIDDEN_KINDS = new Set(['unresolved']);

/** The kinds a YAML (PyTorch-semantics) file may use. */
const YAML_KINDS = kindsFor('pytorch').filter((def) => !HIDDEN_KINDS.has(def.kind));

const TOP_KEYS: { key: string; snippet: string; doc: string }[] = [
  { key: 'name', snippet: 'name: ${1:model}', doc: 'Optional model name.' },
  {
    key: 'input',
    snippet: 'input: [${1:1}, ${2:3}, ${3:224}, ${4:224}]',
    doc: 'Input shape [N, C, H, W] (PyTorch order), [C, H, W], or a dataset preset `{dataset: coco}`.',
  },
  { key: 'layers', snippet: 'layers:\n  - $0', doc: 'The list of layers, in order.' },
];

export function registerCompletion(context: vscode.ExtensionContext, cache: AnalysisCache): void {
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(
      YAML_MODEL_SELECTOR,
      {
        provideCompletionItems(document, position) {
          const lines = document.getText().split(/\r?\n/);
          const where = completionContextAt(
            lines,
            position.line,
            position.character,
            (word) => getLayerKind(word, 'pytorch') !== undefined,
          );
          if (!where) return undefined;
          const prefixRange = (prefix: string) => new vscode.Range(position.translate(0, -prefix.length), position);
          return itemsFor(where, document, cache).map((item) => {
            item.range = prefixRange('prefix' in where ? where.prefix : '');
            return item;
          });
        },
      },
      ' ',
      ':',
      '{',
      ',',
      '[',
    ),
  );
}

function itemsFor(where: CompletionContext, document: vscode.TextDocument, cache: AnalysisCache): vscode.CompletionItem[] {
  switch (where.type) {
    case 'top-key':
      return TOP_KEYS.filter((k) => !where.written.includes(k.key)).map((k) => {
        const item = new vscode.CompletionItem(k.key, vscode.CompletionItemKind.Module);
        item.insertText = new vscode.SnippetString(k.snippet);
        item.documentation = new vscode.MarkdownString(k.doc);
        return item;
      });
    case 'layer-key': {
      const items: vscode.CompletionItem[] = [];
      const hasKind = where.written.some((key) => getLayerKind(key) !== undefined);
      if (!hasKind) items.push(...YAML_KINDS.map((def) => kindItem(def, where.hasValueAfter)));
      for (const [key, doc] of [
        ['name', 'Layer name, used by `from` (default `<kind>_<index>`).'],
        ['from', 'Inputs by layer name (`input` is the model input); without it, the previous layer.'],
      ] as const) {
        if (where.written.includes(key)) continue;
        const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
        item.insertText = where.hasValueAfter ? key : `${key}: `;
        item.documentation = new vscode.MarkdownString(doc);
        item.sortText = `1${key}`;
        items.push(item);
      }
      return items;
    }
    case 'param-key': {
      const def = getLayerKind(where.kind);
      if (!def) return [];
      return def.params.filter((p) => !where.written.includes(p.name)).map((p) => paramItem(def, p));
    }
    case 'param-value': {
      const schema = getLayerKind(where.kind)?.params.find((p) => p.name === where.param);
      if (!schema) return [];
      return valuesFor(schema).map(({ value, doc }) => {
        const item = new vscode.CompletionItem(value, vscode.CompletionItemKind.Value);
        item.documentation = doc;
        if (value === defaultText(schema)) item.detail = 'default';
        return item;
      });
    }
    case 'from-value':
      return layerNamesBefore(document, cache, where.itemLine).map((name, i) => {
        const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Reference);
        item.sortText = String(100000 - i).padStart(6, '0'); // nearest layer first
        return item;
      });
    case 'input-value': {
      const items = Object.values(DATASET_PRESETS).map((preset) => {
        const item = new vscode.CompletionItem(`{dataset: ${preset.id}}`, vscode.CompletionItemKind.Value);
        item.insertText = preset.typicalSize
          ? `{dataset: ${preset.id}}`
          : new vscode.SnippetString(`{dataset: ${preset.id}, size: [\${1:512}, \${2:512}]}`);
        item.documentation = new vscode.MarkdownString(preset.description);
        return item;
      });
      const shape = new vscode.CompletionItem('[N, C, H, W]', vscode.CompletionItemKind.Snippet);
      shape.insertText = new vscode.SnippetString('[${1:1}, ${2:3}, ${3:224}, ${4:224}]');
      shape.documentation = 'An explicit input shape in PyTorch order.';
      shape.sortText = '0';
      return [shape, ...items];
    }
    case 'input-key':
      return [
        ['dataset', 'A dataset preset: ' + Object.keys(DATASET_PRESETS).join(', ')],
        ['size', 'Overrides the preset image size: [H, W].'],
      ]
        .filter(([key]) => !where.written.includes(key!))
        .map(([key, doc]) => {
          const item = new vscode.CompletionItem(key!, vscode.CompletionItemKind.Property);
          item.insertText = `${key}: `;
          item.documentation = doc;
          return item;
        });
    case 'dataset-value':
      return Object.values(DATASET_PRESETS).map((preset) => {
        const item = new vscode.CompletionItem(preset.id, vscode.CompletionItemKind.EnumMember);
        item.detail = preset.title;
        item.documentation = new vscode.MarkdownString(preset.description);
        return item;
      });
  }
}

function defaultText(p: ParamSchema): string | undefined {
  if (p.defaultText) return p.defaultText;
  if (p.default === undefined) return undefined;
  return typeof p.default === 'string' ? p.default : JSON.stringify(p.default);
}

/** A placeholder for a required parameter: a typical value of its type. */
function placeholder(p: ParamSchema): string {
  switch (p.type) {
    case 'pair':
      return '3';
    case 'int':
      return '16';
    case 'output-size':
      return '1';
    case 'bool':
      return 'true';
    default:
      return defaultText(p) ?? '1';
  }
}

function kindDocumentation(def: LayerKindDef): vscode.MarkdownString {
  const lines = [`**${def.kind}** · ${def.torch}`, '', def.doc];
  if (def.params.length > 0) {
    lines.push('', '| parameter | default | |', '|:--|:--|:--|');
    for (const p of def.params)
      lines.push(`| \`${p.name}\` | ${p.required ? '**required**' : (defaultText(p) ?? '—')} | ${p.doc.replace(/\|/g, '\\|')} |`);
  }
  if (def.inputs === 'many') lines.push('', 'Takes two or more inputs: list them in `from`.');
  return new vscode.MarkdownString(lines.join('\n'));
}

function kindItem(def: LayerKindDef, hasValueAfter: boolean): vscode.CompletionItem {
  const item = new vscode.CompletionItem(def.kind, vscode.CompletionItemKind.Class);
  item.detail = def.torch;
  item.documentation = kindDocumentation(def);
  if (hasValueAfter) {
    item.insertText = def.kind;
  } else {
    const required = def.params.filter((p) => p.required);
    const body = required.map((p, i) => `${p.name}: \${${i + 1}:${placeholder(p)}}`).join(', ');
    const from = def.inputs === 'many' ? '\nfrom: [${' + (required.length + 1) + '}]' : '';
    item.insertText = new vscode.SnippetString(`${def.kind}: {${body}}${from}$0`);
  }
  item.sortText = `0${def.kind}`;
  return item;
}

function paramItem(def: LayerKindDef, p: ParamSchema): vscode.CompletionItem {
  const item = new vscode.CompletionItem(p.name, vscode.CompletionItemKind.Property);
  const fallback = defaultText(p);
  item.detail = p.required ? `${def.kind}: required` : `${def.kind}: default ${fallback ?? 'derived from the input'}`;
  item.documentation = new vscode.MarkdownString(p.doc);
  const value = p.required ? placeholder(p) : (fallback ?? placeholder(p));
  // A derived default (stride = kernel_size) has no literal to propose: leave the value empty.
  const literal = p.defaultText && !p.required ? '' : value;
  item.insertText = new vscode.SnippetString(`${p.name}: \${1:${literal.replace(/[$}\\]/g, '\\$&')}}`);
  item.sortText = `${p.required ? 0 : 1}${def.params.indexOf(p).toString().padStart(2, '0')}`;
  return item;
}

function valuesFor(p: ParamSchema): { value: string; doc?: string }[] {
  switch (p.type) {
    case 'bool':
      return [{ value: 'true' }, { value: 'false' }];
    case 'enum':
      return (p.values ?? []).map((value) => ({ value }));
    case 'padding':
      return [
        { value: 'same', doc: 'Output size equals input size (stride 1 only in PyTorch).' },
        { value: 'valid', doc: 'No padding.' },
      ];
    default:
      return [];
  }
}

/** Names of the layers before the item at `itemLine`, plus `input`, nearest last. */
function layerNamesBefore(document: vscode.TextDocument, cache: AnalysisCache, itemLine: number): string[] {
  const model = cache.latest(document.uri)?.result.model ?? cache.lastWithModel(document.uri)?.result.model;
  const names = model ? model.spec.layers.filter((l) => l.range.start.line < itemLine).map((l) => l.name) : [];
  return ['input', ...names];
}
