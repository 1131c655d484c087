// What the preview makes of a TypeScript model file, from the extension's analysis of it: the
// analysis itself when it can run, or the refusal it shows for a model that cannot: errors, layers
// and inputs the front end could not resolve statically, each named and explained with the
// editor's diagnostic.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { analyzeSource } from '../../src/core';
import { previewModel } from '../../src/extension/preview/refusals';
import { validateToWebview, type PreviewModel } from '../../src/shared/preview-messages';

const ROOT = path.join(__dirname, '../../..');

/** The extension's verdict on a file, as the webview receives it (through JSON and the validator). */
function received(fileName: string, text: string): PreviewModel {
  const model = previewModel(analyzeSource(fileName, text, () => ts));
  const result = validateToWebview(
    JSON.parse(JSON.stringify({ type: 'model', uri: `file:///w/${fileName}`, fileName, version: 1, model, memoryBudgetMB: 64 })),
  );
  assert.ok(result.ok, result.ok ? '' : result.error);
  assert.ok(result.message.type === 'model');
  return result.message.model;
}

/** The refusal the preview shows, or 'runs'. */
function verdict(fileName: string, text: string): string {
  const model = received(fileName, text);
  return model.kind === 'runnable' ? 'runs' : model.reason.replace(/^the model has errors; fix them to preview it: /, 'errors: ');
}

function framework(model: PreviewModel): string | null {
  return model.kind === 'runnable' ? model.analysis.framework : model.framework;
}

const TF_HEADER = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\n";

describe('preview spec: what the extension sends', () => {
  it('a file that runs: its analysis, as the editor holds it', () => {
    const text = `${TF_HEADER}model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 3, filters: 4, strides: 2 }));\n`;
    const model = received('m.ts', text);
    assert.ok(model.kind === 'runnable');
    const analysis = analyzeSource('m.ts', text, () => ts).model!;
    assert.equal(model.analysis.framework, 'tfjs');
    assert.deepStrictEqual(
      model.analysis.layers.map((l) => [l.name, l.outputShape]),
      analysis.layers.map((l) => [l.name, l.outputShape]),
    );
  });

  it('a script without TensorFlow.js code any more: no model, and the preview says so', () => {
    const model = received('m.ts', 'export const x = 1;\n');
    assert.deepStrictEqual(model, {
      kind: 'refused',
      framework: null,
      reason: 'the model has errors; fix them to preview it: the file does not describe a model',
    });
  });

  it('the examples run, and their frameworks are as written', () => {
    assert.equal(verdict('mnist-tfjs.ts', fs.readFileSync(path.join(ROOT, 'examples/mnist-tfjs.ts'), 'utf8')), 'runs');
    assert.equal(verdict('resnet-block.cnn.ts', fs.readFileSync(path.join(ROOT, 'examples/resnet-block.cnn.ts'), 'utf8')), 'runs');
    assert.equal(framework(received('mnist-tfjs.ts', fs.readFileSync(path.join(ROOT, 'examples/mnist-tfjs.ts'), 'utf8'))), 'tfjs');
    assert.equal(
      framework(received('resnet-block.cnn.ts', fs.readFileSync(path.join(ROOT, 'examples/resnet-block.cnn.ts'), 'utf8'))),
      'pytorch',
    );
    assert.equal(
      framework(received('m.ts', `${TF_HEADER}model.add(tf.layers.dense({ inputShape: [16], units: 4 }));\n`)),
      'tfjs',
      'a refused model keeps its framework',
    );
  });
});

describe('preview spec: refusals', () => {
  it('a syntax error: the model has errors, quoted with its line', () => {
    const text = `${TF_HEADER}model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 3, filters: 4 ));\n`;
    assert.equal(verdict('m.ts', text), "errors: line 3: TypeScript: ',' expected.");
  });

  it('a value computed by a call: names the layer and quotes why', () => {
    const text = `${TF_HEADER}declare function compute(): number;\nmodel.add(tf.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 3, filters: compute() }));\nmodel.add(tf.layers.flatten());\n`;
    assert.equal(
      verdict('m.ts', text),
      'the preview cannot run conv2d_Conv2D1, which ConvLens could not resolve statically: line 4: conv2d_Conv2D1: filters `compute()` is a function call, and ConvLens never runs model files: its output shape and every shape after it are unknown',
    );
  });

  it('an unsupported TensorFlow.js layer after a supported one', () => {
    const text = `${TF_HEADER}model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 3, filters: 4 }));\nmodel.add(tf.layers.lstm({ units: 4 }));\n`;
    assert.match(
      verdict('m.ts', text),
      /^the preview cannot run lstm_LSTM1, which ConvLens could not resolve statically: line 4: lstm_LSTM1: tf\.layers\.lstm is not supported by ConvLens yet/,
    );
  });

  it('a shared layer used twice: the second use is named', () => {
    const text = `import * as tf from '@tensorflow/tfjs';\nconst input = tf.input({ shape: [8, 8, 4] });\nconst conv = tf.layers.conv2d({ kernelSize: 3, filters: 4, padding: 'same' });\nconst a = conv.apply(input);\nconst b = conv.apply(a);\nexport const model = tf.model({ inputs: input, outputs: b });\n`;
    assert.equal(
      verdict('m.ts', text),
      'the preview cannot run conv2d_Conv2D1#2, which ConvLens could not resolve statically: line 3: conv2d_Conv2D1 is used a second time here (shared weights); ConvLens analyzes its first use only, so this output and every shape after it are unknown',
    );
  });

  it('a *.cnn.ts spread of an imported array: the placeholder and the import are named', () => {
    const text =
      "import { blocks } from './blocks';\nexport default { input: [1, 3, 32, 32], layers: [{ conv2d: { out_channels: 8, kernel_size: 3 } }, ...blocks, { relu: {} }] };\n";
    assert.equal(
      verdict('m.cnn.ts', text),
      "the preview cannot run unresolved_2, which ConvLens could not resolve statically: line 2: unresolved_2: layers `...blocks` → `blocks` is imported from './blocks' (ConvLens reads only this file), and ConvLens never runs model files: the layers it adds and every shape after them are unknown",
    );
  });

  it('an input shape computed by a call', () => {
    const text = `${TF_HEADER}declare function shape(): number[];\nmodel.add(tf.layers.conv2d({ inputShape: shape(), kernelSize: 3, filters: 4 }));\n`;
    assert.equal(
      verdict('m.ts', text),
      "the preview needs the model input's shape, which ConvLens could not resolve statically: line 4: inputShape `shape()` is a function call, and ConvLens never runs model files: every shape is unknown",
    );
  });

  it('a vector input, in the layout the model is written in', () => {
    const text = `${TF_HEADER}model.add(tf.layers.dense({ inputShape: [16], units: 4 }));\n`;
    assert.equal(verdict('m.ts', text), "the preview needs an image input [N, H, W, C]; this model's input is [1, 16]");
  });
});
