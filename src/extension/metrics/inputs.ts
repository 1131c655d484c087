// Which two files "Evaluate Detections" reads, and reading them. The files come from the
// command's arguments (the Explorer passes the clicked file and the selection; a programmatic
// caller passes {groundTruth, detections}), or from open dialogs for whatever is missing. Files
// are read through vscode.workspace.fs, so virtual and remote workspaces work, and parsed here.

import * as vscode from 'vscode';
import { jsonKind, parseJsonText } from './json-text';

/** The command's argument for programmatic callers (tests, other extensions). */
export interface EvaluateDetectionsOptions {
  groundTruth?: vscode.Uri;
  detections?: vscode.Uri;
  /** Cancels like the progress notification's Cancel button. */
  cancellation?: vscode.CancellationToken;
  /** Called with each evaluation progress fraction (non-decreasing, 1 at the end). */
  onProgress?: (fraction: number) => void;
}

export interface LoadedJson {
  uri: vscode.Uri;
  name: string;
  text: string;
  value: unknown;
}

export type LoadOutcome =
  | { status: 'loaded'; groundTruth: LoadedJson; detections: LoadedJson }
  | { status: 'dismissed' }
  | { status: 'unreadable'; uri: vscode.Uri; message: string };

/** Larger inputs are refused with a message rather than risking the extension host's memory. */
export const MAX_INPUT_BYTES = 1024 * 2 ** 20;

export function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.toString();
}

export function isOptions(value: unknown): value is EvaluateDetectionsOptions {
  if (typeof value !== 'object' || value === null || value instanceof vscode.Uri || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return v['groundTruth'] instanceof vscode.Uri || v['detections'] instanceof vscode.Uri || 'cancellation' in v || 'onProgress' in v;
}

/** The Explorer calls a context-menu command with (clicked, selection); the palette with nothing. */
function urisFromArgs(args: readonly unknown[]): vscode.Uri[] {
  const [first, second] = args;
  if (Array.isArray(second) && second.every((u) => u instanceof vscode.Uri) && second.length > 0)
    return (second as vscode.Uri[]).slice(0, 2);
  return first instanceof vscode.Uri ? [first] : [];
}

export async function readJson(uri: vscode.Uri): Promise<LoadedJson | { message: string }> {
  let bytes: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_INPUT_BYTES)
      return {
        message: `${fileName(uri)} is ${(stat.size / 2 ** 20).toFixed(0)} MiB; ConvLens reads inputs up to ${MAX_INPUT_BYTES / 2 ** 20} MiB`,
      };
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    return { message: `cannot read ${fileName(uri)}: ${error instanceof Error ? error.message : String(error)}` };
  }
  // The default TextDecoder drops a UTF-8 byte order mark, which JSON.parse would reject.
  const text = new TextDecoder().decode(bytes);
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { message: `${fileName(uri)} is not valid JSON: ${parsed.message}` };
  return { uri, name: fileName(uri), text, value: parsed.value };
}

async function pick(title: string, near: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const defaultUri = near ? vscode.Uri.joinPath(near, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    title,
    openLabel: 'Select',
    canSelectMany: false,
    filters: { 'JSON files': ['json'], 'All files': ['*'] },
    ...(defaultUri ? { defaultUri } : {}),
  });
  return picked?.[0];
}

/**
 * Both inputs, read and parsed. With two files from the Explorer their contents decide which is
 * the ground truth (an object with `images`/`annotations`) and which the results (an array); with
 * one, the other is asked for; with none, both are.
 */
export async function loadInputs(args: readonly unknown[]): Promise<LoadOutcome> {
  const options = isOptions(args[0]) ? args[0] : undefined;
  const loaded: LoadedJson[] = [];
  const read = async (uri: vscode.Uri): Promise<LoadOutcome | undefined> => {
    const result = await readJson(uri);
    if ('message' in result) return { status: 'unreadable', uri, message: result.message };
    loaded.push(result);
    return undefined;
  };

  if (options) {
    for (const uri of [options.groundTruth, options.detections]) {
      if (uri === undefined) continue;
      const failed = await read(uri);
      if (failed) return failed;
    }
    if (options.groundTruth && options.detections) {
      return { status: 'loaded', groundTruth: loaded[0] as LoadedJson, detections: loaded[1] as LoadedJson };
    }
  } else {
    for (const uri of urisFromArgs(args)) {
      const failed = await read(uri);
      if (failed) return failed;
    }
  }

  if (loaded.length === 2) {
    const [a, b] = loaded as [LoadedJson, LoadedJson];
    // A results list never looks like a dataset; if the contents do not settle it, the
    // selection's order stands and validation explains what is wrong with each file.
    const swap = jsonKind(a.value) === 'detections' && jsonKind(b.value) !== 'detections';
    return swap ? { status: 'loaded', groundTruth: b, detections: a } : { status: 'loaded', groundTruth: a, detections: b };
  }

  let groundTruth: LoadedJson | undefined;
  let detections: LoadedJson | undefined;
  const only = loaded[0];
  if (only !== undefined) {
    const isDetections = options ? options.detections !== undefined : jsonKind(only.value) === 'detections';
    if (isDetections) detections = only;
    else groundTruth = only;
  }
  if (groundTruth === undefined) {
    const uri = await pick(
      detections
        ? `ConvLens: ground truth (COCO dataset JSON) for ${detections.name}`
        : 'ConvLens: ground truth (COCO dataset JSON: images, annotations, categories)',
      detections?.uri,
    );
    if (uri === undefined) return { status: 'dismissed' };
    const failed = await read(uri);
    if (failed) return failed;
    groundTruth = loaded[loaded.length - 1] as LoadedJson;
  }
  if (detections === undefined) {
    const uri = await pick(`ConvLens: detections (COCO results list) to evaluate against ${groundTruth.name}`, groundTruth.uri);
    if (uri === undefined) return { status: 'dismissed' };
    const failed = await read(uri);
    if (failed) return failed;
    detections = loaded[loaded.length - 1] as LoadedJson;
  }
  return { status: 'loaded', groundTruth, detections };
}
