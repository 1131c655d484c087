// "ConvLens: Toggle Inline Shapes": flips `convlens.inlineShapes.enabled` where it is set
// (folder, workspace or user settings), so the toggle always takes effect.

import * as vscode from 'vscode';
import { Commands } from './commands';
import { SECTION, SettingKeys } from './settings';

export function registerInlineShapesToggle(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.toggleInlineShapes, async () => {
      const scope = vscode.window.activeTextEditor?.document.uri;
      const config = vscode.workspace.getConfiguration(SECTION, scope);
      const inspected = config.inspect<boolean>(SettingKeys.inlineShapes);
      const target =
        inspected?.workspaceFolderValue !== undefined
          ? vscode.ConfigurationTarget.WorkspaceFolder
          : inspected?.workspaceValue !== undefined
            ? vscode.ConfigurationTarget.Workspace
            : vscode.ConfigurationTarget.Global;
      const enabled = !config.get<boolean>(SettingKeys.inlineShapes, true);
      await config.update(SettingKeys.inlineShapes, enabled, target);
      void vscode.window.setStatusBarMessage(`ConvLens: inline shapes ${enabled ? 'on' : 'off'}`, 2000);
      return enabled;
    }),
  );
}
