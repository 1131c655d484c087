import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/commands';
import { api, closeAllEditors, copyModel, EXTENSION_ID, openModel, repoText } from './helpers';

describe('activation and manifest', () => {
  it('activates for a *.cnn.yaml file and exposes its API', async () => {
    const started = Date.now();
    const document = await openModel('test-models/lenet.cnn.yaml');
    const convlens = await api();
    console.log(`      activate() took ${convlens.activationMs.toFixed(1)} ms; open + first analysis ${Date.now() - started} ms`);
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    assert.strictEqual(typeof convlens.whenAnalyzed, 'function');
    assert.ok(convlens.activationMs < 1000, `activation took ${convlens.activationMs} ms`);
    const analysis = await convlens.whenAnalyzed(document.uri);
    assert.strictEqual(analysis.version, document.version);
  });

  it('registers every command id the manifest contributes, and no other', async () => {
    const manifest = JSON.parse(repoText('package.json')) as { contributes: { commands: { command: string }[] } };
    const contributed = manifest.contributes.commands.map((c) => c.command).filter((id) => id.startsWith('convlens.'));
    const ids: string[] = Object.values(Commands);
    for (const id of ids) assert.ok(contributed.includes(id), `package.json contributes ${id}`);
    const registered = await vscode.commands.getCommands(true);
    for (const id of ids) assert.ok(registered.includes(id), `${id} is registered`);
  });

  it('declares support for untrusted workspaces (limited: the settings that size memory are restricted) and virtual ones', () => {
    const manifest = JSON.parse(repoText('package.json')) as {
      capabilities: {
        untrustedWorkspaces: { supported: boolean | string; restrictedConfigurations?: string[] };
        virtualWorkspaces: boolean;
      };
    };
    assert.strictEqual(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepStrictEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, [
      'convlens.preview.memoryBudgetMB',
      'convlens.batchSize',
    ]);
    assert.strictEqual(manifest.capabilities.virtualWorkspaces, true);
  });

  it('re-analyzes a burst of edits once they pause (debounced), ending on the last version', async () => {
    const convlens = await api();
    const document = await copyModel('test-models/lenet.cnn.yaml');
    const analyzed: number[] = [];
    const listener = convlens.onDidAnalyze((event) => {
      if (event.uri.toString() === document.uri.toString()) analyzed.push(event.version);
    });
    try {
      const edits = 8;
      const at = document.lineAt(0).range.end;
      for (let i = 0; i < edits; i++) {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(document.uri, at, 'x');
        assert.ok(await vscode.workspace.applyEdit(edit));
      }
      const last = await convlens.whenAnalyzed(document.uri, document.version);
      assert.strictEqual(last.version, document.version);
      assert.ok(analyzed.length < edits, `${edits} edits caused ${analyzed.length} analyses`);
    } finally {
      listener.dispose();
      await closeAllEditors();
    }
  });
});
