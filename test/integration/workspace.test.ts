// ConvLens only reads document text, so it works in virtual file systems, and on every example.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import {
  api,
  closeAllEditors,
  codeOf,
  convlensDiagnostics,
  hintLabel,
  hoverText,
  inlayHints,
  openModel,
  positionOf,
  workspaceRoot,
} from './helpers';

/** A minimal in-memory file system, standing in for a virtual workspace (e.g. GitHub Repositories). */
class MemoryFileSystem implements vscode.FileSystemProvider {
  private readonly files = new Map<string, Uint8Array>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    const data = this.files.get(uri.path);
    if (data) return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: data.length };
    if (uri.path === '/') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }
  readDirectory(): [string, vscode.FileType][] {
    return [...this.files.keys()].map((p) => [p.slice(1), vscode.FileType.File]);
  }
  createDirectory(): void {}
  readFile(uri: vscode.Uri): Uint8Array {
    const data = this.files.get(uri.path);
    if (!data) throw vscode.FileSystemError.FileNotFound(uri);
    return data;
  }
  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    this.files.set(uri.path, content);
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }
  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('rename');
  }
}

describe('workspaces', () => {
  afterEach(closeAllEditors);

  it('analyzes a model in a virtual (non-file) file system', async () => {
    const provider = new MemoryFileSystem();
    const registration = vscode.workspace.registerFileSystemProvider('convlens-memfs', provider);
    try {
      const uri = vscode.Uri.from({ scheme: 'convlens-memfs', path: '/tiny.cnn.yaml' });
      // (16 + 2·1 − 3) / 2 + 1 = 8.5 → 8; the dropped position is padding, so no warning.
      provider.writeFile(
        uri,
        Buffer.from(
          'input: [1, 3, 16, 16]\nlayers:\n  - conv2d: {out_channels: 4, kernel_size: 3, stride: 2, padding: 1}\n  - linear: {out_features: 2, in_features: 5}\n',
        ),
      );
      const document = await openModel(uri);
      assert.deepStrictEqual((await inlayHints(document)).map(hintLabel), ['→ [1, 4, 8, 8]']);
      assert.ok(convlensDiagnostics(uri).some((d) => codeOf(d) === 'linear.unflattened-input'));
      const hover = await hoverText(document, positionOf(document, 'conv2d', 'conv2d', 1));
      assert.ok(hover.includes('(16 + 2·1 − 3) / 2 + 1 = 8.5 → 8'), hover);
    } finally {
      registration.dispose();
    }
  });

  it('analyzes every example of the repository without an internal error', async () => {
    const convlens = await api();
    const examples = await vscode.workspace.findFiles('*.cnn.{yaml,yml}');
    assert.ok(examples.length > 0, `examples in ${workspaceRoot().toString()}`);
    for (const uri of examples) {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const analysis = await convlens.whenAnalyzed(uri, document.version);
      assert.ok(analysis.result.model, `${uri.path} parses`);
      console.log(
        `      ${uri.path.split('/').pop()}: ${analysis.result.diagnostics.length} diagnostic(s), analyzed in ${analysis.durationMs.toFixed(1)} ms`,
      );
    }
  });
});
