// ConvLens extension entry point: see src/extension/activate.ts for the features.

import type * as vscode from 'vscode';
import type { ConvLensApi } from './extension/api';
import { activateConvLens } from './extension/activate';

export function activate(context: vscode.ExtensionContext): ConvLensApi {
  return activateConvLens(context, performance.now());
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
