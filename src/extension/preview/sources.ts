// Where the preview's weights and pictures come from: files the user picks (an open dialog), read
// through `workspace.fs` (so remote and virtual workspaces work, and nothing but the picked file is
// read). The weights choice is remembered per model file in workspaceState.

import * as vscode from 'vscode';
import type { WeightsPayload } from '../../shared/preview-messages';

const WEIGHTS_KEY = 'convlens.preview.weights';

/** What is remembered for a model file. */
export type WeightsChoice = { kind: 'random'; seed: number } | { kind: 'file'; uri: string };

export const DEFAULT_WEIGHTS = { kind: 'random', seed: 0 } as const satisfies WeightsChoice;

function isChoice(value: unknown): value is WeightsChoice {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v['kind'] === 'random' && typeof v['seed'] === 'number') || (v['kind'] === 'file' && typeof v['uri'] === 'string');
}

export class WeightsMemory {
  constructor(private readonly state: vscode.Memento) {}

  get(model: vscode.Uri): WeightsChoice {
    const all = this.state.get<Record<string, unknown>>(WEIGHTS_KEY, {});
    const choice = all[model.toString()];
    return isChoice(choice) ? choice : DEFAULT_WEIGHTS;
  }

  async set(model: vscode.Uri, choice: WeightsChoice): Promise<void> {
    const all = { ...this.state.get<Record<string, unknown>>(WEIGHTS_KEY, {}) };
    all[model.toString()] = choice;
    await this.state.update(WEIGHTS_KEY, all);
  }
}

export function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

/** Reads a file the user chose, refusing one larger than `maxBytes` before reading it. */
export async function readPickedFile(uri: vscode.Uri, maxBytes: number, what: string): Promise<Uint8Array> {
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > maxBytes) {
    throw new Error(
      `${fileName(uri)} is ${formatMB(stat.size)}, over the ${formatMB(maxBytes)} the preview accepts for ${what} (setting convlens.preview.memoryBudgetMB)`,
    );
  }
  // In the Node extension host readFile returns a Buffer, whose toJSON would turn it into
  // {type: 'Buffer', data: [...]} before postMessage's transfer of typed arrays sees it: copy it
  // into a plain Uint8Array, which reaches the webview as bytes.
  return new Uint8Array(await vscode.workspace.fs.readFile(uri));
}

function formatMB(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** The payload for a remembered choice; a file that cannot be read is an error for the caller. */
export async function loadWeights(choice: WeightsChoice, maxBytes: number): Promise<WeightsPayload> {
  if (choice.kind === 'random') return { kind: 'random', seed: choice.seed };
  const uri = vscode.Uri.parse(choice.uri);
  return { kind: 'file', name: fileName(uri), bytes: await readPickedFile(uri, maxBytes, 'weights') };
}

function dialogStart(model: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(model, '..');
}

export async function pickWeightsFile(model: vscode.Uri): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'ConvLens: weights for the preview',
    openLabel: 'Use these weights',
    canSelectMany: false,
    defaultUri: dialogStart(model),
    filters: { 'PyTorch state_dict (safetensors)': ['safetensors'] },
  });
  return picked?.[0];
}

export const IMAGE_TYPES: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg' };

export async function pickImageFile(model: vscode.Uri): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'ConvLens: input image for the preview',
    openLabel: 'Use this image',
    canSelectMany: false,
    defaultUri: dialogStart(model),
    filters: { 'Images (PNG, JPEG)': Object.keys(IMAGE_TYPES) },
  });
  return picked?.[0];
}

export function imageMime(uri: vscode.Uri): string {
  const extension = uri.path.split('.').pop()?.toLowerCase() ?? '';
  return IMAGE_TYPES[extension] ?? 'application/octet-stream';
}
