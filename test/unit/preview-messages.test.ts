// The runtime validators of the extension ↔ preview webview messages: every message type passes
// when well formed, and malformed messages are rejected with the path of the first problem.

import { strict as assert } from 'node:assert';
import { validateFromWebview, validateToWebview, type FromWebviewMessage, type ToWebviewMessage } from '../../src/shared/preview-messages';

/** One well-formed message of every type, extension → webview (the Record keeps it complete). */
const TO_WEBVIEW: { [T in ToWebviewMessage['type']]: Extract<ToWebviewMessage, { type: T }> } = {
  init: { type: 'init', workerSource: 'self.onmessage = () => {};' },
  model: {
    type: 'model',
    uri: 'file:///w/lenet5.cnn.yaml',
    fileName: 'lenet5.cnn.yaml',
    version: 3,
    model: { kind: 'refused', framework: 'pytorch', reason: 'the model has errors; fix them to preview it: line 2: …' },
    memoryBudgetMB: 1024,
  },
  weights: { type: 'weights', weights: { kind: 'file', name: 'lenet5.safetensors', bytes: new Uint8Array([1, 2, 3]) } },
  image: { type: 'image', name: 'cat.png', mime: 'image/png', bytes: new Uint8Array([137, 80, 78, 71]) },
  cursor: { type: 'cursor', layer: 'conv2' },
  notice: { type: 'notice', level: 'warning', message: 'could not read the weights' },
};

const FROM_WEBVIEW: { [T in FromWebviewMessage['type']]: Extract<FromWebviewMessage, { type: T }> } = {
  ready: { type: 'ready' },
  revealLayer: { type: 'revealLayer', layer: 'pool1' },
  pickImage: { type: 'pickImage' },
  pickWeights: { type: 'pickWeights' },
  useRandomWeights: { type: 'useRandomWeights', seed: 7 },
  rendered: {
    type: 'rendered',
    runId: 1,
    modelVersion: 1,
    weights: 'random weights (seed 0)',
    input: 'sample: Digit · [0, 1]',
    totalMs: 12.5,
    layers: [
      {
        name: 'conv1',
        kind: 'conv2d',
        shape: [1, 6, 28, 28],
        ms: 1.5,
        channels: 6,
        heatmaps: [{ min: -1, max: Infinity, nonZero: 784, count: 784 }],
      },
    ],
    shownLayer: 'conv1',
  },
  runFailed: { type: 'runFailed', runId: 2, modelVersion: 1, reason: 'memory', message: 'over the 1.00 MiB budget' },
  shown: { type: 'shown', layer: 'conv1', view: 'im2col' },
  log: { type: 'log', level: 'info', message: 'hello' },
};

function rejected(result: { ok: boolean; error?: string }): string {
  assert.equal(result.ok, false, 'the message is rejected');
  return result.error ?? '';
}

describe('preview messages: validators', () => {
  for (const message of Object.values(TO_WEBVIEW)) {
    it(`accepts a well-formed '${message.type}' from the extension`, () => {
      const result = validateToWebview(structuredClone(message));
      assert.ok(result.ok, result.ok ? '' : result.error);
      assert.deepEqual(result.message, message);
    });
  }
  for (const message of Object.values(FROM_WEBVIEW)) {
    it(`accepts a well-formed '${message.type}' from the webview`, () => {
      const result = validateFromWebview(structuredClone(message));
      assert.ok(result.ok, result.ok ? '' : result.error);
      assert.deepEqual(result.message, message);
    });
  }

  it('rejects what is not a message', () => {
    for (const raw of [undefined, null, 42, 'ready', [], [{ type: 'ready' }]]) {
      assert.match(rejected(validateFromWebview(raw)), /^message: expected an object/);
      assert.match(rejected(validateToWebview(raw)), /^message: expected an object/);
    }
  });

  it('rejects unknown and missing types, naming the valid ones', () => {
    assert.match(
      rejected(validateFromWebview({ type: 'rm -rf' })),
      /^message\.type: expected one of ready, revealLayer, .*, got "rm -rf"$/,
    );
    assert.match(
      rejected(validateToWebview({})),
      /^message\.type: expected one of init, model, weights, image, cursor, notice, got undefined$/,
    );
    // A message of the other direction is not accepted either.
    assert.match(rejected(validateToWebview({ type: 'ready' })), /message\.type/);
    assert.match(rejected(validateFromWebview({ type: 'init', workerSource: '' })), /message\.type/);
    // Prototype keys are not message types.
    assert.match(rejected(validateFromWebview({ type: 'constructor' })), /message\.type/);
  });

  it('names the path of a malformed field', () => {
    assert.equal(rejected(validateFromWebview({ type: 'revealLayer', layer: 3 })), 'message.layer: expected a string, got number 3');
    assert.equal(
      rejected(validateFromWebview({ type: 'useRandomWeights', seed: -1 })),
      'message.seed: expected an integer seed in [0, 2^32), got number -1',
    );
    assert.equal(
      rejected(validateFromWebview({ type: 'useRandomWeights', seed: 2 ** 32 })),
      `message.seed: expected an integer seed in [0, 2^32), got number ${2 ** 32}`,
    );
    assert.equal(
      rejected(validateFromWebview({ type: 'shown', layer: 'a', view: 'table' })),
      'message.view: expected "activations" or "im2col" or "argmax" or "gradient", got "table"',
    );
    const bad = structuredClone(FROM_WEBVIEW.rendered) as unknown as { layers: { heatmaps: { nonZero: unknown }[] }[] };
    bad.layers[0]!.heatmaps[0]!.nonZero = 1.5;
    assert.equal(
      rejected(validateFromWebview(bad)),
      'message.layers[0].heatmaps[0].nonZero: expected a non-negative integer, got number 1.5',
    );
    assert.equal(
      rejected(validateFromWebview({ ...FROM_WEBVIEW.rendered, totalMs: NaN })),
      'message.totalMs: expected a finite number, got number NaN',
    );
    assert.equal(
      rejected(validateToWebview({ ...TO_WEBVIEW.model, model: { kind: 'refused', framework: 'keras', reason: '' } })),
      'message.model.framework: expected "pytorch" or "tfjs", got "keras"',
    );
    assert.equal(
      rejected(validateToWebview({ ...TO_WEBVIEW.model, model: { kind: 'parsed' } })),
      'message.model.kind: expected one of runnable, refused, got "parsed"',
    );
    assert.equal(rejected(validateToWebview({ type: 'cursor' })), 'message.layer: expected a string, got undefined');
    assert.equal(
      rejected(validateToWebview({ type: 'image', name: 'a.png', mime: 'image/png', bytes: [1, 2] })),
      'message.bytes: expected bytes (Uint8Array), got an array of 2',
    );
    assert.equal(
      rejected(validateToWebview({ type: 'weights', weights: { kind: 'pickle', name: 'x' } })),
      'message.weights.kind: expected one of random, file, got "pickle"',
    );
  });

  it('accepts bytes as an ArrayBuffer or another typed array, as a Uint8Array', () => {
    const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
    const result = validateToWebview({ type: 'image', name: 'a.png', mime: 'image/png', bytes: buffer });
    assert.ok(result.ok && result.message.type === 'image');
    assert.ok(result.message.bytes instanceof Uint8Array);
    assert.deepEqual([...result.message.bytes], [1, 2, 3, 4]);
    const view = validateToWebview({ type: 'weights', weights: { kind: 'file', name: 'w', bytes: new Float32Array([1]) } });
    assert.ok(view.ok && view.message.type === 'weights' && view.message.weights.kind === 'file');
    assert.equal(view.message.weights.bytes.length, 4);
  });

  it('drops fields a message does not define', () => {
    const result = validateFromWebview({ type: 'revealLayer', layer: 'conv1', __proto__: { polluted: true }, extra: 'x' });
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.message), ['type', 'layer']);
  });
});
