import * as assert from 'node:assert';
import * as vscode from 'vscode';

describe('smoke', () => {
  it('activates the extension in the host', async () => {
    const ext = vscode.extensions.getExtension('convlens.convlens');
    assert.ok(ext, 'extension is loaded');
    const api = (await ext.activate()) as { ping(): string };
    assert.strictEqual(api.ping(), 'pong');
    assert.ok(vscode.workspace.workspaceFolders?.length, 'a folder is open');
  });
});
