// Ultralytics YOLO YAMLs in the editor. The oracle is Ultralytics' own summary in the official
// file's `scales` comment (the file is copied from ../shared into the test workspace at run time,
// never into the repository); the broken file is our own.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, eventually, hintLabel, hoverText, inlayHints, REPO_ROOT, workspaceUri } from './helpers';

const FILES_DIR =
  process.env['CONVLENS_ULTRALYTICS_DIR'] ??
  [path.resolve(REPO_ROOT, '../shared/ultralytics/files'), '/work/shared/ultralytics/files'].find((dir) => fs.existsSync(dir)) ??
  path.resolve(REPO_ROOT, '../shared/ultralytics/files');

async function open(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = workspaceUri(`scratch/${name}`);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

async function lensTitles(document: vscode.TextDocument): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
  return lenses.map((l) => l.command?.title ?? '').filter((t) => t.startsWith('Ultralytics') || t.startsWith('ConvLens: '));
}

describe('Ultralytics YOLO YAMLs', () => {
  afterEach(closeAllEditors);

  it("shows Ultralytics' published summary for yolov8n.yaml in a CodeLens, row shapes inline and a row hover", async () => {
    const text = fs.readFileSync(path.join(FILES_DIR, 'v8', 'yolov8.yaml'), 'utf8');
    const m = /^\s+n: \[.*?(\d+) layers, (\d+) parameters, (\d+) gradients, ([\d.]+) GFLOPs/im.exec(text);
    assert.ok(m, 'the published summary of scale n');
    const fmt = (s: string) => Number(s).toLocaleString('en-US');
    const document = await open('yolov8n.yaml', text);
    const titles = await eventually('the CodeLens', async () => {
      const t = await lensTitles(document);
      return t.length > 0 ? t : undefined;
    });
    assert.strictEqual(
      titles[0],
      `Ultralytics (scale n): ${m[1]} layers, ${fmt(m[2]!)} parameters, ${fmt(m[3]!)} gradients, ${m[4]} GFLOPs`,
    );
    assert.match(titles[1]!, /^ConvLens: [\d,]+ MACs at \[1, 3, 640, 640\]$/);

    // Row 0 is Conv(3→16, k3, s2) at scale n: 640 → 320, 3·16·9 + 2·16 (BatchNorm) = 464 params.
    const labels = (await inlayHints(document)).map(hintLabel);
    assert.strictEqual(labels[0], '→ [1, 16, 320, 320] · 464 params');
    let row0 = 0;
    while (!document.lineAt(row0).text.includes('- [-1, 1, Conv, [64, 3, 2]]')) row0++;
    const hover = await hoverText(document, new vscode.Position(row0, document.lineAt(row0).text.indexOf('Conv')));
    assert.match(hover, /\*\*Conv\*\* \(row 0, backbone\)/);
    assert.match(hover, /parameters: 464/);
  });

  it('puts a bad row in the Problems panel with its line, and clears it when fixed', async () => {
    const bad = [
      'nc: 2',
      'backbone:',
      '  - [-1, 1, Conv, [16, 3, 2]]',
      '  - [2, 1, Conv, [16, 3, 2]]',
      'head:',
      '  - [[1], 1, Detect, [nc]]',
      '',
    ].join('\n');
    const document = await open('tiny-bad.yaml', bad);
    const diagnostics = await eventually('the diagnostic', () => {
      const d = vscode.languages.getDiagnostics(document.uri).filter((x) => x.source === 'ConvLens');
      return d.length > 0 ? d : undefined;
    });
    assert.strictEqual(diagnostics[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(diagnostics[0]!.range.start.line, 3);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(3, 5, 3, 6), '-1'); // [2, … → [-1, …
    await vscode.workspace.applyEdit(edit);
    await eventually('the fix to clear it', () =>
      vscode.languages.getDiagnostics(document.uri).some((x) => x.source === 'ConvLens') ? undefined : true,
    );
  });
});
