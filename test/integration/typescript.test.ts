// TensorFlow.js layers code (read statically, never run) gets the same features as YAML, with
// TensorFlow's semantics and NHWC shapes. test-models/tfjs-cnn.js, worked out by hand:
//   conv2d 5×5, 8 filters, valid: 28 − 5 + 1 = 24 → [1, 24, 24, 8]; params 8·(1·5·5) + 8 = 208
//   maxPooling2d 2, stride 2: (24 − 2) / 2 + 1 = 12 → [1, 12, 12, 8]
//   conv2d 3×3, 16 filters, 'same': ceil(12 / 1) = 12 → [1, 12, 12, 16]; params 16·(8·3·3) + 16 = 1,168
//   flatten 12·12·16 = 2,304; dense 10 → [1, 10]; params 2,304·10 + 10 = 23,050
import * as assert from 'node:assert';
import { closeAllEditors, convlensDiagnostics, hintLabel, hoverText, inlayHints, openModel, positionOf } from './helpers';

describe('TensorFlow.js models', () => {
  afterEach(closeAllEditors);

  it('shows NHWC shapes inline after each layer call (activations folded into their layer)', async () => {
    const document = await openModel('test-models/tfjs-cnn.js');
    assert.deepStrictEqual(convlensDiagnostics(document.uri), []);
    const hints = await inlayHints(document);
    assert.deepStrictEqual(hints.map(hintLabel), ['→ [1, 24, 24, 8]', '→ [1, 12, 12, 8]', '→ [1, 12, 12, 16]', '→ [1, 2304]', '→ [1, 10]']);
    // Right after `tf.layers.conv2d({...})`, before the closing `);` of model.add.
    const line = document.lineAt(hints[0]!.position.line).text;
    assert.strictEqual(line.slice(hints[0]!.position.character), ');');
  });

  it('hovers a TensorFlow.js layer with its formula and parameter count', async () => {
    const document = await openModel('test-models/tfjs-cnn.js');
    const text = await hoverText(document, positionOf(document, 'inputShape', 'conv2d', 1));
    assert.ok(text.includes('`[1, 24, 24, 8]`'), text);
    assert.ok(text.includes('NHWC'), text);
    assert.ok(text.includes('(28 + 2·0 − 5) / 1 + 1 = 24'), text);
    assert.ok(text.includes('| Params | 208'), text);
  });
});
