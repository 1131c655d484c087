// "Show Model Summary" and the copy commands. LeNet-5 rows are computed by hand (see
// inline.test.ts); the torchvision models are checked against PyTorch's own figures
// (test/fixtures/models/*.expected.json, recorded from forward hooks).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/commands';
import {
  closeAllEditors,
  convlensDiagnostics,
  createModel,
  eventually,
  hintLabel,
  inlayHints,
  openModel,
  REPO_ROOT,
  repoText,
} from './helpers';

interface Expected {
  name: string;
  input: number[];
  output_shape: number[];
  total_params: number;
  total_macs: number;
  layers: { name: string; kind: string; output_shape: number[] | null; params: number; macs: number }[];
}

describe('model summary', () => {
  afterEach(closeAllEditors);

  it('opens a summary table beside the model, kept in a Markdown document', async () => {
    const document = await openModel('test-models/lenet.cnn.yaml');
    const summaryUri = await vscode.commands.executeCommand<vscode.Uri>(Commands.showModelSummary, document.uri);
    assert.ok(summaryUri, 'the command returns the summary document');
    const summary = await vscode.workspace.openTextDocument(summaryUri);
    const text = summary.getText();
    assert.match(text, /\| 1 \| conv1 \(conv2d\) \| `\[1, 6, 28, 28\]` \| 156 \| 117,600 \|/);
    assert.match(text, /\| 4 \| conv2 \(conv2d\) \| `\[1, 16, 10, 10\]` \| 2,416 \| 240,000 \|/);
    assert.match(text, /\| Params \| 61,706 /);
    assert.match(text, /\| MACs \| 416,520 /);
    assert.match(text, /\| FLOPs \| 833,040 /);
    // A tab for the preview (or the Markdown text) is open.
    await eventually('the summary tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((tab) => tab.label.includes('summary')) ? true : undefined,
    );
  });

  it('copies the summary as Markdown and as CSV with exact integers', async () => {
    const document = await openModel('test-models/lenet.cnn.yaml');
    const markdown = await vscode.commands.executeCommand<string>(Commands.copySummaryMarkdown, document.uri);
    assert.match(markdown, /\| 12 \| fc3 \(linear\) \| `\[1, 10\]` \| 850 \| 840 \|/); // 84·10 + 10; 84·10
    const csv = await vscode.commands.executeCommand<string>(Commands.copySummaryCsv, document.uri);
    const rows = csv.trim().split('\n');
    assert.strictEqual(rows[0], 'index,name,kind,torch,output_shape,params,macs,flops');
    assert.strictEqual(rows[1], '1,conv1,conv2d,torch.nn.Conv2d,1x6x28x28,156,117600,235200');
    assert.strictEqual(rows[rows.length - 1], ',total,,,1x10,61706,416520,833040');
  });

  for (const file of fs
    .readdirSync(path.join(REPO_ROOT, 'test', 'fixtures', 'models'))
    .filter((f) => f.endsWith('.expected.json'))
    .sort()) {
    const model = file.replace('.expected.json', '');
    it(`matches PyTorch for ${model}: every inline shape, and params and MACs per layer`, async () => {
      const expected = JSON.parse(repoText(`test/fixtures/models/${file}`)) as Expected;
      const document = await createModel(repoText(`test/fixtures/models/${model}.cnn.yaml`), model);
      assert.deepStrictEqual(
        convlensDiagnostics(document.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error),
        [],
      );
      const labels = (await inlayHints(document)).map(hintLabel);
      assert.deepStrictEqual(
        labels,
        expected.layers.map((l) => `→ [${(l.output_shape ?? []).join(', ')}]`),
      );
      const csv = await vscode.commands.executeCommand<string>(Commands.copySummaryCsv, document.uri);
      const rows = csv
        .trim()
        .split('\n')
        .slice(1)
        .map((r) => r.split(','));
      const layers = rows.slice(0, -1);
      assert.deepStrictEqual(
        layers.map((r) => [r[1], Number(r[5]), Number(r[6])]),
        expected.layers.map((l) => [l.name, l.params, l.macs]),
      );
      const total = rows[rows.length - 1]!;
      assert.deepStrictEqual([total[5], total[6]], [String(expected.total_params), String(expected.total_macs)]);
    });
  }
});
