// Which documents ConvLens analyzes: `*.cnn.yaml` / `*.cnn.yml`, in any file system (local,
// remote or virtual), since ConvLens only reads the document's text.

import type * as vscode from 'vscode';

export const MODEL_SELECTOR: vscode.DocumentFilter[] = [{ pattern: '**/*.cnn.{yaml,yml}' }];

const MODEL_FILE = /\.cnn\.ya?ml$/i;

export function isModelDocument(document: vscode.TextDocument): boolean {
  return MODEL_FILE.test(document.uri.path);
}
