// "ConvLens: Preview Layer Outputs" in the real VS Code: the command opens the webview, whose
// worker analyzes and runs the model; the test awaits the messages the panel reports (`rendered`
// with per-heatmap statistics, `shown`, `runFailed`) through the handle the command returns. No
// sleeps: every wait is on a message, with mocha's timeout as the deadline.

import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/commands';
import type { PreviewHandle } from '../../src/extension/preview/panel';
import {
  REPORT_MAX_CHANNELS,
  type FromWebviewMessage,
  type RenderedMessage,
  type RunFailedMessage,
  type ShownMessage,
} from '../../src/shared/preview-messages';
import { closeAllEditors, editAndWait, openModel, positionOf, valueRange, withSetting } from './helpers';

function failed(afterRun = 0): (m: FromWebviewMessage) => m is RunFailedMessage {
  return (m): m is RunFailedMessage => m.type === 'runFailed' && m.runId > afterRun;
}

function shown(layer: string): (m: FromWebviewMessage) => m is ShownMessage {
  return (m): m is ShownMessage => m.type === 'shown' && m.layer === layer;
}

async function openPreview(uri: vscode.Uri): Promise<PreviewHandle> {
  const handle = await vscode.commands.executeCommand<PreviewHandle | undefined>(Commands.previewLayerOutputs, uri);
  assert.ok(handle, 'the command returns the preview handle');
  return handle;
}

/** The first result of the preview (a run that renders or fails), whichever comes first. */
function firstResult(handle: PreviewHandle, afterRun = 0): Promise<RenderedMessage | RunFailedMessage> {
  return handle.waitFor(
    (m): m is RenderedMessage | RunFailedMessage =>
      (m.type === 'rendered' || (m.type === 'runFailed' && m.reason !== 'cancelled')) && m.runId > afterRun,
  );
}

describe('preview layer outputs', function () {
  this.timeout(120000);
  afterEach(closeAllEditors);

  it('runs LeNet-5 with random weights and draws non-blank heatmaps for every conv layer', async () => {
    const document = await openModel('lenet5.cnn.yaml');
    const started = Date.now();
    const handle = await openPreview(document.uri);
    const result = await firstResult(handle);
    assert.strictEqual(result.type, 'rendered', result.type === 'runFailed' ? `the run failed: ${result.message}` : '');
    const report = result as RenderedMessage;
    console.log(
      `      LeNet-5 preview: ${Date.now() - started} ms from the command to the first drawn view; engine ${report.totalMs.toFixed(1)} ms`,
    );
    assert.strictEqual(report.weights, 'random weights (seed 0)');
    assert.match(report.input, /^sample: Digit · \[0, 1\]$/);
    assert.strictEqual(report.modelVersion, document.version);
    assert.deepStrictEqual(
      report.layers.map((l) => `${l.name}:${l.kind}:${l.shape.join('x')}`),
      [
        'conv1:conv2d:1x6x28x28',
        'relu_2:relu:1x6x28x28',
        'pool1:maxpool2d:1x6x14x14',
        'conv2:conv2d:1x16x10x10',
        'relu_5:relu:1x16x10x10',
        'pool2:maxpool2d:1x16x5x5',
        'flatten_7:flatten:1x400',
        'fc1:linear:1x120',
        'relu_9:relu:1x120',
        'fc2:linear:1x84',
        'relu_11:relu:1x84',
        'fc3:linear:1x10',
      ],
    );
    for (const layer of report.layers.filter((l) => l.kind === 'conv2d')) {
      const channels = layer.shape[1]!;
      assert.strictEqual(layer.channels, channels);
      assert.strictEqual(layer.heatmaps.length, channels, `${layer.name}: one heatmap per channel`);
      for (const [c, h] of layer.heatmaps.entries()) {
        assert.ok(Number.isFinite(h.min) && Number.isFinite(h.max), `${layer.name}[${c}] is finite`);
        assert.ok(h.max > h.min, `${layer.name}[${c}]: value range ${h.min} … ${h.max} is not degenerate`);
        assert.ok(h.nonZero > 0, `${layer.name}[${c}] has non-zero values`);
        assert.strictEqual(h.count, layer.shape[2]! * layer.shape[3]!);
      }
    }
    // After a ReLU nothing is negative, and some values are cut to zero.
    const relu = report.layers.find((l) => l.name === 'relu_2')!;
    assert.ok(relu.heatmaps.every((h) => h.min >= 0));
    assert.ok(relu.heatmaps.some((h) => h.nonZero < h.count));
    assert.strictEqual(report.shownLayer, 'conv1', 'the first conv layer is shown when the cursor is on no layer');
  });

  it('follows the editor cursor to the layer under it', async () => {
    const document = await openModel('lenet5.cnn.yaml');
    const handle = await openPreview(document.uri);
    await firstResult(handle);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
    assert.ok(editor, 'the model editor stays visible beside the preview');
    const position = positionOf(document, 'out_channels: 16', 'kernel_size');
    editor.selection = new vscode.Selection(position, position);
    const message = await handle.waitFor(shown('conv2'));
    assert.strictEqual(message.view, 'activations');
    // The `input:` line selects the model input.
    const input = positionOf(document, 'input: [1, 1, 28, 28]', '28');
    editor.selection = new vscode.Selection(input, input);
    await handle.waitFor(shown('input'));
  });

  it('re-runs after an edit of the model (debounced) with the new shapes', async () => {
    const document = await openModel('lenet5.cnn.yaml');
    const handle = await openPreview(document.uri);
    const first = await firstResult(handle);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, valueRange(document, 'out_channels: 6', 'out_channels'), '8');
    await editAndWait(document, edit);
    const report = await handle.waitFor(
      (m): m is RenderedMessage => m.type === 'rendered' && m.runId > first.runId && m.modelVersion === document.version,
    );
    const conv1 = report.layers.find((l) => l.name === 'conv1');
    assert.deepStrictEqual(conv1?.shape, [1, 8, 28, 28]);
    assert.strictEqual(conv1?.heatmaps.length, 8);
  });

  it('refuses a run over the memory budget and quotes the estimate', async () => {
    const restore = await withSetting('preview.memoryBudgetMB', 4);
    try {
      const document = await openModel('vgg11.cnn.yaml');
      const handle = await openPreview(document.uri);
      const message = await handle.waitFor(failed());
      assert.strictEqual(message.reason, 'memory');
      assert.match(message.message, /needs about \d+(\.\d+)? MiB of activations \(peak at layer [\w.]+\), over the 4\.00 MiB budget/);
      assert.match(message.message, /convlens\.preview\.memoryBudgetMB/);
    } finally {
      await restore();
    }
  });

  it('refuses a run whose activations and parameters fit the budget apart but not together', async () => {
    // VGG-11 at 1×3×224×224: 63.36 MiB of activations (every output kept) and 132,863,336
    // parameters, 506.83 MiB as float32 (random weights: held once, packed); 570.19 MiB together.
    const restore = await withSetting('preview.memoryBudgetMB', 540);
    try {
      const document = await openModel('vgg11.cnn.yaml');
      const handle = await openPreview(document.uri);
      const message = await handle.waitFor(failed());
      assert.strictEqual(message.reason, 'memory');
      assert.match(
        message.message,
        /needs about 63\.36 MiB of activations and 506\.83 MiB of parameters, 570\.19 MiB together, over the 540\.00 MiB budget/,
      );
    } finally {
      await restore();
    }
  });

  it('reports the channel count of every layer and statistics for the first REPORT_MAX_CHANNELS (64) channels', async () => {
    const document = await openModel('test-models/wide.cnn.yaml');
    const result = await firstResult(await openPreview(document.uri));
    assert.strictEqual(result.type, 'rendered', result.type === 'runFailed' ? `the run failed: ${result.message}` : '');
    for (const layer of (result as RenderedMessage).layers) {
      assert.strictEqual(layer.channels, 300, layer.name);
      assert.strictEqual(REPORT_MAX_CHANNELS, 64);
      assert.strictEqual(layer.heatmaps.length, REPORT_MAX_CHANNELS, layer.name);
      assert.ok(
        layer.heatmaps.every((h) => h.count === 144),
        `${layer.name}: 12×12 values per channel`,
      );
    }
  });

  it('reports an analysis error instead of running a broken model', async () => {
    const document = await openModel('mistakes.cnn.yaml');
    const handle = await openPreview(document.uri);
    const message = await handle.waitFor(failed());
    assert.strictEqual(message.reason, 'analysis');
    assert.match(message.message, /^the model has errors; fix them to preview it: line \d+: /);
  });
});
