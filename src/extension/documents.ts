// Which documents ConvLens analyzes, in any file system (local, remote or virtual: ConvLens only
// reads the document's text): `*.cnn.yaml|yml`, `*.cnn.ts|js` model objects, and scripts with
// TensorFlow.js layers code. The core decides (`modelFileKind`); this adds VS Code's view.

import type * as vscode from 'vscode';
import { modelFileKind, type ModelFileKind } from '../core';

const SCRIPT_LANGUAGES = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'];

/** Where providers (hover, inline shapes, quick fixes...) are registered. */
export const MODEL_SELECTOR: vscode.DocumentFilter[] = [
  { pattern: '**/*.cnn.{yaml,yml}' },
  // TensorFlow.js code can be in any script; providers return nothing for other scripts.
  ...SCRIPT_LANGUAGES.map((language) => ({ language })),
];

/** YAML model files only: the YAML-specific features (completion) register here. */
export const YAML_MODEL_SELECTOR: vscode.DocumentFilter[] = [{ pattern: '**/*.cnn.{yaml,yml}' }];

/** Cached per document version: the TensorFlow.js check reads the whole text. */
const kinds = new WeakMap<vscode.TextDocument, { version: number; kind: ModelFileKind | undefined }>();

export function modelKind(document: vscode.TextDocument): ModelFileKind | undefined {
  const cached = kinds.get(document);
  if (cached && cached.version === document.version) return cached.kind;
  const path = document.uri.path;
  const isScript = SCRIPT_LANGUAGES.includes(document.languageId);
  // Plain scripts need their text to tell; YAML and *.cnn.ts files are known by name.
  const kind = modelFileKind(path, isScript ? document.getText() : undefined);
  kinds.set(document, { version: document.version, kind });
  return kind;
}

export function isModelDocument(document: vscode.TextDocument): boolean {
  return modelKind(document) !== undefined;
}
