// Smoke-test placeholder, replaced by the real extension entry point.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): { ping(): string } {
  context.subscriptions.push(vscode.commands.registerCommand('convlens.ping', () => 'pong'));
  return { ping: () => 'pong' };
}

export function deactivate(): void {}
