// The settings a preview run depends on: the analysis settings every ConvLens feature reads, plus
// `convlens.preview.memoryBudgetMB`.

import * as vscode from 'vscode';
import { readSettings, SECTION } from '../settings';

export const MEMORY_BUDGET_KEY = 'preview.memoryBudgetMB';
export const DEFAULT_MEMORY_BUDGET_MB = 1024;
/** package.json's maximum for convlens.preview.memoryBudgetMB. */
export const MAX_MEMORY_BUDGET_MB = 16384;

export interface PreviewSettings {
  batchSize: number | undefined;
  bytesPerElement: number;
  memoryBudgetMB: number;
  memoryBudgetBytes: number;
}

export function previewSettings(scope: vscode.Uri): PreviewSettings {
  const base = readSettings(scope);
  const raw = vscode.workspace.getConfiguration(SECTION, scope).get<number>(MEMORY_BUDGET_KEY, DEFAULT_MEMORY_BUDGET_MB);
  // At most the schema's maximum, whatever a settings file says (the WebAssembly memory is 4 GiB anyway).
  const memoryBudgetMB =
    typeof raw === 'number' && Number.isFinite(raw) && raw > 0 ? Math.min(raw, MAX_MEMORY_BUDGET_MB) : DEFAULT_MEMORY_BUDGET_MB;
  return { batchSize: base.batchSize, bytesPerElement: base.bytesPerElement, memoryBudgetMB, memoryBudgetBytes: memoryBudgetMB * 2 ** 20 };
}

/** Whether a configuration change alters what a preview run computes or refuses. */
export function affectsPreview(event: vscode.ConfigurationChangeEvent): boolean {
  return ['batchSize', 'bytesPerElement', MEMORY_BUDGET_KEY].some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}
