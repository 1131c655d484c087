// "Preview Layer Outputs" on TypeScript model files: the extension parses the file (the worker
// never loads `typescript`), posts the spec, and the worker analyzes and runs it. The TensorFlow.js
// tutorial's MNIST CNN runs NCHW in the engine and reports NHWC shapes, as TensorFlow writes them;
// the ResNet stages of examples/resnet-block.cnn.ts run as PyTorch. Every wait is on a message the
// panel reports, with mocha's timeout as the deadline; no sleeps.
//
// Worked out by hand for examples/mnist-tfjs.ts (input [28, 28, 1], batch 1):
//   conv2d 5×5, 8 filters, valid: 28 − 5 + 1 = 24 → [1, 24, 24, 8]; pool 2/2 → [1, 12, 12, 8]
//   conv2d 5×5, 16 filters: 12 − 5 + 1 = 8 → [1, 8, 8, 16]; pool 2/2 → [1, 4, 4, 16]
//   flatten 4·4·16 = 256; dense 10 → [1, 10]
// and for examples/resnet-block.cnn.ts (input [1, 3, 224, 224]): conv1 7×7/2 pad 3 → 112, max
// pool 3/2 pad 1 → 56, layer2 stride 2 → 28 with 2·64 = 128 channels: [1, 128, 28, 28].

import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { Commands } from '../../src/extension/commands';
import type { PreviewHandle } from '../../src/extension/preview/panel';
import {
  REPORT_MAX_CHANNELS,
  type FromWebviewMessage,
  type LayerReport,
  type RenderedMessage,
  type RunFailedMessage,
  type ShownMessage,
} from '../../src/shared/preview-messages';
import { closeAllEditors, editAndWait, openModel, positionOf, valueRange, workspaceUri } from './helpers';

function shown(layer: string): (m: FromWebviewMessage) => m is ShownMessage {
  return (m): m is ShownMessage => m.type === 'shown' && m.layer === layer;
}

async function openPreview(uri: vscode.Uri): Promise<PreviewHandle> {
  const handle = await vscode.commands.executeCommand<PreviewHandle | undefined>(Commands.previewLayerOutputs, uri);
  assert.ok(handle, 'the command returns the preview handle');
  return handle;
}

/** The first result of a run after `afterRun`: a drawn report, or the failure the panel shows. */
function firstResult(handle: PreviewHandle, afterRun = 0): Promise<RenderedMessage | RunFailedMessage> {
  return handle.waitFor(
    (m): m is RenderedMessage | RunFailedMessage =>
      (m.type === 'rendered' || (m.type === 'runFailed' && m.reason !== 'cancelled')) && m.runId > afterRun,
  );
}

async function rendered(handle: PreviewHandle): Promise<RenderedMessage> {
  const result = await firstResult(handle);
  assert.strictEqual(result.type, 'rendered', result.type === 'runFailed' ? `the run failed (${result.reason}): ${result.message}` : '');
  return result as RenderedMessage;
}

function rows(report: RenderedMessage): string[] {
  return report.layers.map((l) => `${l.name}:${l.kind}:${l.shape.join('x')}`);
}

/** Every heatmap reported (the first REPORT_MAX_CHANNELS) has a value range and non-zero values; `plane` is H·W. */
function assertNonBlank(layer: LayerReport, channels: number, plane: number): void {
  assert.strictEqual(layer.channels, channels, `${layer.name}: channels`);
  assert.strictEqual(
    layer.heatmaps.length,
    Math.min(channels, REPORT_MAX_CHANNELS),
    `${layer.name}: one heatmap per channel, up to ${REPORT_MAX_CHANNELS}`,
  );
  for (const [c, h] of layer.heatmaps.entries()) {
    assert.ok(Number.isFinite(h.min) && Number.isFinite(h.max), `${layer.name}[${c}] is finite`);
    assert.ok(h.max > h.min, `${layer.name}[${c}]: value range ${h.min} … ${h.max} is not degenerate`);
    assert.ok(h.nonZero > 0, `${layer.name}[${c}] has non-zero values`);
    assert.strictEqual(h.count, plane, `${layer.name}[${c}] covers the plane`);
  }
}

/** The editor of `document` beside the preview. */
function editorOf(document: vscode.TextDocument): vscode.TextEditor {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
  assert.ok(editor, 'the model editor stays visible beside the preview');
  return editor;
}

let scratch = 0;

async function scratchModel(name: string, text: string): Promise<vscode.TextDocument> {
  scratch += 1;
  const uri = workspaceUri(`scratch/${name}-${scratch}.ts`);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return openModel(uri);
}

describe('preview layer outputs: TypeScript model files', function () {
  this.timeout(120000);
  afterEach(closeAllEditors);

  it('runs the TensorFlow.js MNIST CNN and reports NHWC shapes and non-blank heatmaps', async () => {
    const document = await openModel('mnist-tfjs.ts');
    const handle = await openPreview(document.uri);
    const report = await rendered(handle);
    assert.strictEqual(report.weights, 'random weights (seed 0)');
    assert.strictEqual(report.modelVersion, document.version);
    assert.deepStrictEqual(rows(report), [
      'conv2d_Conv2D1:conv2d:1x24x24x8',
      'conv2d_Conv2D1/relu:relu:1x24x24x8',
      'max_pooling2d_MaxPooling2D1:tf_maxpool2d:1x12x12x8',
      'conv2d_Conv2D2:conv2d:1x8x8x16',
      'conv2d_Conv2D2/relu:relu:1x8x8x16',
      'max_pooling2d_MaxPooling2D2:tf_maxpool2d:1x4x4x16',
      'flatten_Flatten1:flatten:1x256',
      'dense_Dense1:linear:1x10',
      'dense_Dense1/softmax:softmax:1x10',
    ]);
    for (const layer of report.layers.filter((l) => l.kind === 'conv2d')) {
      const [, h = 0, w = 0, c = 0] = layer.shape;
      assertNonBlank(layer, c, h * w);
    }
    const relu = report.layers.find((l) => l.name === 'conv2d_Conv2D1/relu')!;
    assert.ok(
      relu.heatmaps.every((h) => h.min >= 0),
      'nothing is negative after the fused ReLU',
    );
    const softmax = report.layers.find((l) => l.name === 'dense_Dense1/softmax')!;
    assert.strictEqual(softmax.heatmaps.length, 1, 'one heatmap for the [1, 10] vector');
    assert.ok(softmax.heatmaps[0]!.min > 0 && softmax.heatmaps[0]!.max < 1, 'softmax probabilities lie in (0, 1)');
    assert.strictEqual(report.shownLayer, 'conv2d_Conv2D1', 'the first conv layer is shown when the cursor is on no layer');
  });

  it('runs the ResNet stages of resnet-block.cnn.ts to [1, 128, 28, 28]', async () => {
    const document = await openModel('resnet-block.cnn.ts');
    const handle = await openPreview(document.uri);
    const report = await rendered(handle);
    assert.strictEqual(report.layers.length, 34, 'stem 4, layer1 2 × 7, layer2.0 9, layer2.1 7');
    const shapes = new Map(report.layers.map((l) => [l.name, l.shape.join('x')]));
    assert.strictEqual(shapes.get('conv1'), '1x64x112x112');
    assert.strictEqual(shapes.get('maxpool'), '1x64x56x56');
    assert.strictEqual(shapes.get('layer1.1.relu2'), '1x64x56x56');
    assert.strictEqual(shapes.get('layer2.0.downsample.0'), '1x128x28x28');
    assert.strictEqual(report.layers.at(-1)?.name, 'layer2.1.relu2');
    assert.strictEqual(shapes.get('layer2.1.relu2'), '1x128x28x28');
    for (const layer of report.layers.filter((l) => l.kind === 'conv2d')) {
      const [, c = 0, h = 0, w = 0] = layer.shape;
      assertNonBlank(layer, c, h * w);
    }
    assert.strictEqual(report.shownLayer, 'conv1');
  });

  it('follows the cursor and reveals layers with the TypeScript ranges', async () => {
    const mnist = await openModel('mnist-tfjs.ts');
    const tf = await openPreview(mnist.uri);
    await rendered(tf);
    const tfEditor = editorOf(mnist);
    const dense = positionOf(mnist, 'tf.layers.dense(', 'dense');
    tfEditor.selection = new vscode.Selection(dense, dense);
    await tf.waitFor(shown('dense_Dense1'));
    const input = positionOf(mnist, 'inputShape: [IMAGE_WIDTH', 'IMAGE_WIDTH');
    tfEditor.selection = new vscode.Selection(input, input);
    await tf.waitFor(shown('input'));
    // A click on a layer in the panel selects its call in the editor.
    await tf.revealLayer('flatten_Flatten1');
    assert.strictEqual(tfEditor.selection.start.line, positionOf(mnist, 'tf.layers.flatten()').line);
    assert.match(mnist.getText(tfEditor.selection), /flatten$/);
    await closeAllEditors();

    const resnet = await openModel('resnet-block.cnn.ts');
    const pt = await openPreview(resnet.uri);
    await rendered(pt);
    const ptEditor = editorOf(resnet);
    const downsample = positionOf(resnet, "name: 'layer2.0.downsample.0'", 'kernel_size');
    ptEditor.selection = new vscode.Selection(downsample, downsample);
    await pt.waitFor(shown('layer2.0.downsample.0'));
    await pt.revealLayer('layer1.0.add');
    assert.strictEqual(resnet.getText(ptEditor.selection).replace(/['"]/g, ''), 'layer1.0.add');
    assert.strictEqual(ptEditor.selection.start.line, positionOf(resnet, "name: 'layer1.0.add'").line);
  });

  it('re-runs a TensorFlow.js model after an edit with the new shapes', async () => {
    const document = await openModel('mnist-tfjs.ts');
    const handle = await openPreview(document.uri);
    const first = await rendered(handle);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, valueRange(document, 'filters: 8', 'filters'), '12');
    await editAndWait(document, edit);
    const report = await handle.waitFor(
      (m): m is RenderedMessage => m.type === 'rendered' && m.runId > first.runId && m.modelVersion === document.version,
    );
    const conv = report.layers.find((l) => l.name === 'conv2d_Conv2D1');
    assert.deepStrictEqual(conv?.shape, [1, 24, 24, 12]);
    assert.strictEqual(conv?.heatmaps.length, 12);
    assert.deepStrictEqual(report.layers.find((l) => l.name === 'conv2d_Conv2D2')?.shape, [1, 8, 8, 16]);
  });

  it('refuses a layer it cannot resolve statically, naming it', async () => {
    const document = await scratchModel(
      'unresolved',
      [
        "import * as tf from '@tensorflow/tfjs';",
        'declare function compute(): number;',
        'const model = tf.sequential();',
        'model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 3, filters: compute() }));',
        'model.add(tf.layers.flatten());',
        '',
      ].join('\n'),
    );
    const handle = await openPreview(document.uri);
    const result = await firstResult(handle);
    assert.strictEqual(result.type, 'runFailed');
    const failure = result as RunFailedMessage;
    assert.strictEqual(failure.reason, 'analysis');
    assert.match(
      failure.message,
      /^the preview cannot run conv2d_Conv2D1, which ConvLens could not resolve statically: line 4: conv2d_Conv2D1: filters `compute\(\)` is a function call/,
    );
  });
});
