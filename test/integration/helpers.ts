// Shared by the integration tests (inside the extension host): the extension's API, opening and
// creating model documents in the test workspace (a temporary copy), and waiting with deadlines.

import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalysisEvent, ConvLensApi } from '../../src/extension/api';

export const EXTENSION_ID = 'convlens.convlens';
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export async function api(): Promise<ConvLensApi> {
  const extension = vscode.extensions.getExtension<ConvLensApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return folder.uri;
}

export function workspaceUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

let counter = 0;

/** Writes a new model file into the workspace (under scratch/) and opens it. */
export async function createModel(text: string, name = 'model'): Promise<vscode.TextDocument> {
  counter += 1;
  const uri = workspaceUri(`scratch/${name}-${counter}.cnn.yaml`);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return openModel(uri);
}

/** A scratch copy of a model of the test workspace, for tests that edit it. */
export async function copyModel(relative: string): Promise<vscode.TextDocument> {
  const text = Buffer.from(await vscode.workspace.fs.readFile(workspaceUri(relative))).toString('utf8');
  return createModel(
    text,
    relative
      .split('/')
      .pop()!
      .replace(/\.cnn\.ya?ml$/, ''),
  );
}

/** Opens a model in an editor and waits until its current version is analyzed. */
export async function openModel(target: vscode.Uri | string): Promise<vscode.TextDocument> {
  const uri = typeof target === 'string' ? workspaceUri(target) : target;
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  await (await api()).whenAnalyzed(document.uri, document.version);
  return document;
}

/** A repository file's text (fixtures are read, never opened from the repository). */
export function repoText(relative: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, relative), 'utf8');
}

/** Applies an edit and waits for the analysis of the new version. */
export async function editAndWait(document: vscode.TextDocument, edit: vscode.WorkspaceEdit): Promise<AnalysisEvent> {
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
  return (await api()).whenAnalyzed(document.uri, document.version);
}

/** The position of the `occurrence`-th `needle` on the first line containing `lineNeedle`. */
export function positionOf(document: vscode.TextDocument, lineNeedle: string, needle = lineNeedle, offset = 0): vscode.Position {
  for (let line = 0; line < document.lineCount; line++) {
    const text = document.lineAt(line).text;
    if (!text.includes(lineNeedle)) continue;
    const column = text.indexOf(needle);
    assert.ok(column >= 0, `'${needle}' on the line with '${lineNeedle}'`);
    return new vscode.Position(line, column + offset);
  }
  throw new Error(`no line contains '${lineNeedle}'`);
}

/** The range of `needle` on the first line containing `lineNeedle`. */
export function rangeOf(document: vscode.TextDocument, lineNeedle: string, needle = lineNeedle): vscode.Range {
  const start = positionOf(document, lineNeedle, needle);
  return new vscode.Range(start, start.translate(0, needle.length));
}

/** The range of the value written after `key: ` on the first line containing `lineNeedle`. */
export function valueRange(document: vscode.TextDocument, lineNeedle: string, key: string): vscode.Range {
  const keyStart = positionOf(document, lineNeedle, `${key}:`);
  const text = document.lineAt(keyStart.line).text;
  let start = keyStart.character + key.length + 1;
  while (text[start] === ' ') start++;
  let end = start;
  while (end < text.length && !/[,}\s#]/.test(text[end]!)) end++;
  return new vscode.Range(keyStart.line, start, keyStart.line, end);
}

/** Polls until `probe` returns a value, failing after the deadline (no fixed sleeps). */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n---\n');
}

export async function inlayHints(document: vscode.TextDocument): Promise<vscode.InlayHint[]> {
  const all = new vscode.Range(0, 0, document.lineCount, 0);
  return vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, all);
}

export function hintLabel(hint: vscode.InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
}

/** Sets a ConvLens setting for the test and returns a function that restores it. */
export async function withSetting(key: string, value: unknown): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('convlens');
  const previous = config.inspect(key)?.globalValue;
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  return async () => {
    await vscode.workspace.getConfiguration('convlens').update(key, previous, vscode.ConfigurationTarget.Global);
  };
}

export function convlensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ConvLens');
}

export function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  return typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
}

/** Reverts unsaved changes (a dirty editor would ask to save, blocking the run) and closes all. */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty && !d.isUntitled)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
