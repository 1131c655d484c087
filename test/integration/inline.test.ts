// Inline shapes (inlay hints) and model totals (CodeLens). LeNet-5 figures by hand:
// conv1 (28 + 4 − 5) + 1 = 28; pool (28 − 2) / 2 + 1 = 14; conv2 14 − 5 + 1 = 10; pool 5;
// flatten 16·5·5 = 400; linear 120, 84, 10. Params 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706;
// MACs 117,600 + 240,000 + 48,000 + 10,080 + 840 = 416,520 (the contract's figures).
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/commands';
import { api, closeAllEditors, hintLabel, inlayHints, openModel, positionOf, withSetting } from './helpers';

const LENET_SHAPES = [
  '[1, 6, 28, 28]', // conv1
  '[1, 6, 28, 28]', // relu
  '[1, 6, 14, 14]', // pool1
  '[1, 16, 10, 10]', // conv2
  '[1, 16, 10, 10]', // relu
  '[1, 16, 5, 5]', // pool2
  '[1, 400]', // flatten
  '[1, 120]', // fc1
  '[1, 120]', // relu
  '[1, 84]', // fc2
  '[1, 84]', // relu
  '[1, 10]', // fc3
];

describe('inline shapes and totals', () => {
  afterEach(closeAllEditors);

  it("shows every layer's output shape after its parameters", async () => {
    const document = await openModel('test-models/lenet.cnn.yaml');
    const hints = await inlayHints(document);
    assert.deepStrictEqual(
      hints.map(hintLabel),
      LENET_SHAPES.map((s) => `→ ${s}`),
    );
    // Flow style: right after the closing brace; block style: at the end of the kind's line.
    const conv1 = positionOf(document, 'conv2d: {out_channels: 6');
    assert.ok(hints[0]!.position.isEqual(new vscode.Position(conv1.line, document.lineAt(conv1.line).text.length)));
    let conv2 = 0;
    while (document.lineAt(conv2).text.trim() !== 'conv2d:') conv2++;
    assert.ok(hints[3]!.position.isEqual(new vscode.Position(conv2, '    conv2d:'.length)));
  });

  it('shows the input a dataset preset resolves to', async () => {
    const document = await openModel('test-models/coco.cnn.yaml');
    const labels = (await inlayHints(document)).map(hintLabel);
    // COCO [1, 3, 480, 640]; stem 240 × 320; ceil-mode pool 121 × 161; add keeps the shape.
    assert.deepStrictEqual(labels, ['→ [1, 3, 480, 640]', '→ [1, 32, 240, 320]', '→ [1, 32, 121, 161]', '→ [1, 32, 121, 161]']);
  });

  it('follows the batch-size setting', async () => {
    const restore = await withSetting('batchSize', 8);
    try {
      const document = await openModel('test-models/lenet.cnn.yaml');
      await (await api()).whenAnalyzed(document.uri);
      const labels = (await inlayHints(document)).map(hintLabel);
      assert.strictEqual(labels[0], '→ [8, 6, 28, 28]');
      assert.strictEqual(labels[labels.length - 1], '→ [8, 10]');
    } finally {
      await restore();
    }
  });

  it('is switched off and on again by "Toggle Inline Shapes"', async () => {
    const document = await openModel('test-models/lenet.cnn.yaml');
    assert.strictEqual((await inlayHints(document)).length, 12);
    const off = await vscode.commands.executeCommand<boolean>(Commands.toggleInlineShapes);
    try {
      assert.strictEqual(off, false);
      assert.strictEqual((await inlayHints(document)).length, 0);
    } finally {
      const on = await vscode.commands.executeCommand<boolean>(Commands.toggleInlineShapes);
      assert.strictEqual(on, true);
    }
    assert.strictEqual((await inlayHints(document)).length, 12);
  });

  it('shows the model totals in a CodeLens that opens the summary, unless switched off', async () => {
    const document = await openModel('test-models/lenet.cnn.yaml');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const ours = lenses.filter((lens) => lens.command?.command === Commands.showModelSummary);
    assert.strictEqual(ours.length, 1);
    const title = ours[0]!.command!.title;
    assert.ok(title.includes('61.71 K params'), title); // 61,706
    assert.ok(title.includes('416.52 K'), title); // 416,520 MACs
    assert.ok(title.includes('[1, 10]'), title);
    assert.strictEqual(ours[0]!.range.start.line, positionOf(document, 'name: conv1').line);

    const restore = await withSetting('codeLens.enabled', false);
    try {
      const none = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      assert.strictEqual(none.filter((lens) => lens.command?.command === Commands.showModelSummary).length, 0);
    } finally {
      await restore();
    }
  });
});
