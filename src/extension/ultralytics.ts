// Ultralytics YOLO model YAMLs in the editor (yolov8.yaml, yolo11n.yaml, a fork's file): Problems
// entries for bad rows, Ultralytics' summary beside ConvLens's MACs in a CodeLens, each row's
// output shape and parameters inline, and a hover per row. Read with the core's Ultralytics front
// end (never executed); any YAML document that is not *.cnn.yaml and has top-level `backbone` and
// `head` lists qualifies.

import * as vscode from 'vscode';
import { buildUltralyticsModel, formatInteger, isUltralyticsYaml, type UltralyticsModel } from '../core';
import { MAX_MODEL_TEXT_LENGTH } from '../core/limits';
import { readSettings } from './settings';

const SELECTOR: vscode.DocumentFilter[] = [{ language: 'yaml' }, { pattern: '**/*.{yaml,yml}' }];
const DEBOUNCE_MS = 250;

type BuiltRow = UltralyticsModel['rows'][number];

function candidate(document: vscode.TextDocument): boolean {
  const path = document.uri.path;
  return (document.languageId === 'yaml' || /\.ya?ml$/i.test(path)) && !/\.cnn\.ya?ml$/i.test(path);
}

/** The model of a document's current version, built once per version; undefined when not an Ultralytics YAML. */
class UltralyticsModels {
  private readonly byUri = new Map<string, { version: number; model: UltralyticsModel | undefined }>();

  get(document: vscode.TextDocument): UltralyticsModel | undefined {
    if (!candidate(document)) return undefined;
    const key = document.uri.toString();
    const cached = this.byUri.get(key);
    if (cached && cached.version === document.version) return cached.model;
    const text = document.getText();
    const model =
      text.length <= MAX_MODEL_TEXT_LENGTH && isUltralyticsYaml(text) ? buildUltralyticsModel(text, document.uri.path) : undefined;
    this.byUri.set(key, { version: document.version, model });
    return model;
  }

  forget(uri: vscode.Uri): void {
    this.byUri.delete(uri.toString());
  }
}

const toRange = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
  new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

const shapeText = (row: BuiltRow) => row.outputShapes.map((s) => `[${s.join(', ')}]`).join(' ');

/** The CodeLens titles: Ultralytics' own four numbers, then ConvLens's convention. */
export function summaryTitles(model: UltralyticsModel): string[] {
  const s = model.summary;
  if (!s) return [];
  const scale = model.scale === undefined ? '' : ` (scale ${model.scale})`;
  return [
    `Ultralytics${scale}: ${s.layers} layers, ${formatInteger(s.parameters)} parameters, ${formatInteger(s.gradients)} gradients, ${s.gflops.toFixed(1)} GFLOPs`,
    `ConvLens: ${formatInteger(s.macs)} MACs at [${model.inputShape.join(', ')}]`,
  ];
}

export function registerUltralytics(context: vscode.ExtensionContext): void {
  const models = new UltralyticsModels();
  const collection = vscode.languages.createDiagnosticCollection('convlens-ultralytics');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const changed = new vscode.EventEmitter<void>();

  const refresh = (document: vscode.TextDocument) => {
    const model = models.get(document);
    if (!model) {
      collection.delete(document.uri);
      return;
    }
    collection.set(
      document.uri,
      model.diagnostics.map((d) => {
        const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, SEVERITY[d.severity]);
        diagnostic.source = 'ConvLens';
        diagnostic.code = 'ultralytics';
        return diagnostic;
      }),
    );
    changed.fire();
  };
  const schedule = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        refresh(document);
      }, DEBOUNCE_MS),
    );
  };

  const rowAt = (document: vscode.TextDocument, position: vscode.Position): BuiltRow | undefined =>
    models.get(document)?.rows.find((r) => toRange(r.range).contains(position));

  context.subscriptions.push(
    collection,
    changed,
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
    vscode.workspace.onDidOpenTextDocument((d) => candidate(d) && refresh(d)),
    vscode.workspace.onDidChangeTextDocument((e) => candidate(e.document) && schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      models.forget(d.uri);
      collection.delete(d.uri);
    }),
    vscode.languages.registerCodeLensProvider(SELECTOR, {
      onDidChangeCodeLenses: changed.event,
      provideCodeLenses(document) {
        const model = models.get(document);
        const first = model?.rows[0];
        if (!model || !first || !readSettings(document.uri).codeLens) return [];
        const at = new vscode.Range(first.range.start.line, 0, first.range.start.line, 0);
        return summaryTitles(model).map((title) => new vscode.CodeLens(at, { title, command: '' }));
      },
    }),
    vscode.languages.registerInlayHintsProvider(SELECTOR, {
      onDidChangeInlayHints: changed.event,
      provideInlayHints(document, range) {
        const model = models.get(document);
        if (!model || !readSettings(document.uri).inlineShapes) return [];
        return model.rows
          .filter((r) => range.contains(toRange(r.range).end))
          .map((r) => {
            const hint = new vscode.InlayHint(toRange(r.range).end, `→ ${shapeText(r)} · ${formatInteger(r.parameters)} params`);
            hint.paddingLeft = true;
            return hint;
          });
      },
    }),
    vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover(document, position) {
        const row = rowAt(document, position);
        if (!row) return undefined;
        const md = new vscode.MarkdownString();
        md.appendMarkdown(`**${row.module}** (row ${row.index}, ${row.section}) from \`${JSON.stringify(row.from)}\`\n\n`);
        md.appendMarkdown(`- arguments after parse_model: \`${JSON.stringify(row.args)}\`\n`);
        md.appendMarkdown(`- repeats: ${row.repeats} as written, ${row.scaledRepeats} at this scale\n`);
        md.appendMarkdown(`- output: \`${shapeText(row)}\`\n`);
        md.appendMarkdown(`- parameters: ${formatInteger(row.parameters)}\n`);
        md.appendMarkdown(`- ConvLens MACs: ${formatInteger(row.macs)}`);
        if (row.gflops !== undefined) md.appendMarkdown(`; Ultralytics' GFLOPs share: ${row.gflops.toFixed(3)}`);
        return new vscode.Hover(md, toRange(row.range));
      },
    }),
  );
  for (const document of vscode.workspace.textDocuments) if (candidate(document)) refresh(document);
}
