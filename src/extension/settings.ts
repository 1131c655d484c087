// ConvLens settings (`convlens.*` in package.json): read per document, so folder settings apply.

import * as vscode from 'vscode';
import type { AnalysisOptions } from '../core';

export const SECTION = 'convlens';

/** Which compute figure leads in hovers, inline hints and totals. */
export type Counting = 'macs' | 'flops';

export interface Settings {
  counting: Counting;
  /** Overrides the N of the model's input; undefined keeps the file's. */
  batchSize: number | undefined;
  bytesPerElement: number;
  inlineShapes: boolean;
  codeLens: boolean;
  statusBar: boolean;
}

export const SettingKeys = {
  counting: 'counting',
  batchSize: 'batchSize',
  bytesPerElement: 'bytesPerElement',
  inlineShapes: 'inlineShapes.enabled',
  codeLens: 'codeLens.enabled',
  statusBar: 'statusBar.enabled',
} as const;

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const batch = config.get<number | null>(SettingKeys.batchSize, null);
  const bytes = config.get<number>(SettingKeys.bytesPerElement, 4);
  return {
    counting: config.get<string>(SettingKeys.counting, 'macs') === 'flops' ? 'flops' : 'macs',
    batchSize: typeof batch === 'number' && Number.isInteger(batch) && batch > 0 ? batch : undefined,
    bytesPerElement: Number.isFinite(bytes) && bytes > 0 ? bytes : 4,
    inlineShapes: config.get<boolean>(SettingKeys.inlineShapes, true),
    codeLens: config.get<boolean>(SettingKeys.codeLens, true),
    statusBar: config.get<boolean>(SettingKeys.statusBar, true),
  };
}

export function analysisOptions(settings: Settings): AnalysisOptions {
  return { batchSize: settings.batchSize, bytesPerElement: settings.bytesPerElement };
}

/** Whether a configuration change alters analysis results (rather than only their display). */
export function affectsAnalysis(event: vscode.ConfigurationChangeEvent): boolean {
  return (
    event.affectsConfiguration(`${SECTION}.${SettingKeys.batchSize}`) ||
    event.affectsConfiguration(`${SECTION}.${SettingKeys.bytesPerElement}`)
  );
}

export function affectsDisplay(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}
