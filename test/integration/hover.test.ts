// Hovers. Every expected figure is worked out by hand in the comments (PyTorch's formulas).
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { closeAllEditors, hoverText, openModel, positionOf, withSetting } from './helpers';

function assertIncludes(text: string, expected: string): void {
  assert.ok(text.includes(expected), `hover should include ${JSON.stringify(expected)}:\n${text}`);
}

describe('hover', () => {
  afterEach(closeAllEditors);

  it('shows conv1 of LeNet-5 on its kind key: shapes, formula, params, MACs, FLOPs, receptive field, im2col', async () => {
    const document = await openModel('test-models/lenet.cnn.yaml');
    const text = await hoverText(document, positionOf(document, 'conv2d: {out_channels: 6', 'conv2d', 2));
    assertIncludes(text, '**conv1**');
    assertIncludes(text, '`[1, 1, 28, 28]`'); // input
    assertIncludes(text, '`[1, 6, 28, 28]`'); // output
    assertIncludes(text, '(28 + 2·2 − 5) / 1 + 1 = 28'); // H and W
    assertIncludes(text, '| Params | 156'); // 6·1·5·5 weights + 6 biases
    assertIncludes(text, '117,600 MACs'); // 6 · 28·28 · 1·5·5
    assertIncludes(text, '235,200 FLOPs'); // 2 · MACs
    assertIncludes(text, '5 × 5 input pixels'); // one 5×5 window on the input
    assertIncludes(text, '784 × 25'); // im2col rows 28·28, columns 1·5·5
    assertIncludes(text, '76.56 KiB'); // 784·25·4 bytes = 78,400 B
    assertIncludes(text, '18.38 KiB'); // output 6·28·28·4 = 18,816 B
  });

  it('shows the same layer on its name and on any parameter key or value', async () => {
    const document = await openModel('test-models/lenet.cnn.yaml');
    for (const position of [
      positionOf(document, 'name: conv1', 'conv1', 1),
      positionOf(document, 'conv2d: {out_channels: 6', 'kernel_size', 3),
      positionOf(document, 'conv2d: {out_channels: 6', 'padding: 2', 'padding: '.length),
    ]) {
      const text = await hoverText(document, position);
      assertIncludes(text, '**conv1**');
      assertIncludes(text, '(28 + 2·2 − 5) / 1 + 1 = 28');
    }
  });

  it('shows a pooling layer and a block-style conv', async () => {
    const document = await openModel('test-models/lenet.cnn.yaml');
    // pool1: (28 + 2·0 − 2) / 2 + 1 = 14
    const pool = await hoverText(document, positionOf(document, 'maxpool2d', 'maxpool2d', 1));
    assertIncludes(pool, '**pool1**');
    assertIncludes(pool, '(28 + 2·0 − 2) / 2 + 1 = 14');
    assertIncludes(pool, '`[1, 6, 14, 14]`');
    // conv2 (block style): (14 − 5) / 1 + 1 = 10; params 16·6·5·5 + 16 = 2,416; MACs 16·10·10·6·5·5 = 240,000
    const conv2 = await hoverText(document, positionOf(document, 'out_channels: 16', 'out_channels', 1));
    assertIncludes(conv2, '**conv2**');
    assertIncludes(conv2, '(14 + 2·0 − 5) / 1 + 1 = 10');
    assertIncludes(conv2, '2,416');
    assertIncludes(conv2, '240,000 MACs');
  });

  it("shows a dataset preset on the input, and ceil_mode pooling with the preset's size", async () => {
    const document = await openModel('test-models/coco.cnn.yaml');
    const input = await hoverText(document, positionOf(document, 'input:', 'input', 1));
    assertIncludes(input, '`[1, 3, 480, 640]`'); // the contract's COCO preset
    assertIncludes(input, 'MS COCO');
    // stem: (480 + 2·1 − 3) / 2 + 1 = 240.5 → 240; (640 + 2·1 − 3) / 2 + 1 = 320.5 → 320
    const stem = await hoverText(document, positionOf(document, 'conv2d', 'conv2d', 1));
    assertIncludes(stem, '(480 + 2·1 − 3) / 2 + 1 = 240.5 → 240');
    assertIncludes(stem, '(640 + 2·1 − 3) / 2 + 1 = 320.5 → 320');
    // pool, ceil_mode: (240 + 2 − 3) / 2 + 1 = 120.5 → 121 (121 − 1)·2 = 240 < 240 + 1, kept
    const pool = await hoverText(document, positionOf(document, 'maxpool2d', 'maxpool2d', 1));
    assertIncludes(pool, '(240 + 2·1 − 3) / 2 + 1 = 120.5 → ⌈⌉ 121');
    assertIncludes(pool, '`[1, 32, 121, 161]`');
  });

  it('shows the referenced layer on a `from` entry', async () => {
    const document = await openModel('test-models/coco.cnn.yaml');
    const text = await hoverText(document, positionOf(document, 'from: [pool, pool]', 'pool', 1));
    assertIncludes(text, '**pool**');
    assertIncludes(text, '`[1, 32, 121, 161]`');
  });

  it('leads with FLOPs when the counting setting says so', async () => {
    const restore = await withSetting('counting', 'flops');
    try {
      const document = await openModel('test-models/lenet.cnn.yaml');
      const text = await hoverText(document, positionOf(document, 'conv2d: {out_channels: 6', 'conv2d', 1));
      assertIncludes(text, '| FLOPs | 235,200 FLOPs');
    } finally {
      await restore();
    }
  });

  it('shows nothing between layers', async () => {
    const document = await openModel('test-models/lenet.cnn.yaml');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      positionOf(document, 'layers:', 'layers', 2),
    );
    const ours = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .filter((v) => v.includes('**'));
    assert.deepStrictEqual(ours, []);
  });
});
