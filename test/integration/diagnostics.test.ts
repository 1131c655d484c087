// Problems panel. Expected values are computed by hand from the model files in
// test/integration/models (copied into the test workspace as test-models/).
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import {
  closeAllEditors,
  codeOf,
  convlensDiagnostics,
  createModel,
  editAndWait,
  eventually,
  openModel,
  rangeOf,
  valueRange,
} from './helpers';

describe('diagnostics', () => {
  afterEach(closeAllEditors);

  it('reports nothing for a correct model (LeNet-5)', async () => {
    const document = await openModel('test-models/lenet.cnn.yaml');
    assert.deepStrictEqual(convlensDiagnostics(document.uri), []);
  });

  it('reports each mistake with severity, code and the exact range of the offending value', async () => {
    const document = await openModel('test-models/mistakes.cnn.yaml');
    const diagnostics = convlensDiagnostics(document.uri);
    const find = (code: string) => diagnostics.filter((d) => codeOf(d) === code);

    // conv1: (28 + 2·0 − 5) / 3 + 1 = 8.67, floored to 8: a warning on the stride value.
    const inexact = find('conv.inexact-division');
    assert.ok(inexact.length >= 1, 'inexact division reported');
    assert.strictEqual(inexact[0]!.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(inexact[0]!.range.isEqual(valueRange(document, 'kernel_size: 5, stride: 3', 'stride')));
    assert.match(inexact[0]!.message, /\(28 \+ 2·0 − 5\) \/ 3 \+ 1/);
    assert.match(inexact[0]!.message, /8\b/);

    // conv2: in_channels 3, but conv1 outputs 8 channels. Related information points at conv1.
    const mismatch = find('conv.channel-mismatch');
    assert.strictEqual(mismatch.length, 1);
    assert.strictEqual(mismatch[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(mismatch[0]!.range.isEqual(valueRange(document, 'in_channels: 3', 'in_channels')));
    assert.match(mismatch[0]!.message, /\b8\b/);
    const related = mismatch[0]!.relatedInformation ?? [];
    assert.strictEqual(related.length, 1);
    assert.strictEqual(related[0]!.location.uri.toString(), document.uri.toString());
    assert.strictEqual(related[0]!.location.range.start.line, rangeOf(document, 'name: conv1', 'conv1').start.line);

    // conv3: the misspelt key is an error on the key itself.
    const unknownParam = find('param.unknown');
    assert.strictEqual(unknownParam.length, 1);
    assert.ok(unknownParam[0]!.range.isEqual(rangeOf(document, 'kernel_sise')));

    // act: misspelt kind.
    const unknownKind = find('layer.unknown-kind');
    assert.strictEqual(unknownKind.length, 1);
    assert.ok(unknownKind[0]!.range.isEqual(rangeOf(document, 'reluu')));
    for (const d of diagnostics) assert.strictEqual(d.source, 'ConvLens');
  });

  it('clears a diagnostic as soon as the mistake is fixed by an edit', async () => {
    const document = await createModel(
      'input: [1, 3, 32, 32]\nlayers:\n  - conv2d: {out_channels: 8, kernel_size: 3}\n  - conv2d: {out_channels: 8, kernel_size: 3, in_channels: 4}\n',
    );
    assert.deepStrictEqual(convlensDiagnostics(document.uri).map(codeOf), ['conv.channel-mismatch']);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, valueRange(document, 'in_channels: 4', 'in_channels'), '8');
    await editAndWait(document, edit);
    assert.deepStrictEqual(convlensDiagnostics(document.uri), []);
  });

  it("removes a document's diagnostics when its editor is closed, and shows them again when reopened", async () => {
    const document = await createModel('input: [1, 3, 8, 8]\nlayers:\n  - conv2d: {out_channels: 8, kernel_size: 9}\n');
    // (8 + 2·0 − 9) / 1 + 1 = 0: not positive.
    assert.deepStrictEqual([...new Set(convlensDiagnostics(document.uri).map(codeOf))], ['conv.non-positive-output']);
    await closeAllEditors();
    await eventually('diagnostics to clear after close', () => (convlensDiagnostics(document.uri).length === 0 ? true : undefined));
    await vscode.window.showTextDocument(document);
    await eventually('diagnostics to come back', () => (convlensDiagnostics(document.uri).length > 0 ? true : undefined));
  });

  it('reports a YAML model that is not a model at all', async () => {
    const document = await createModel('just: text\n');
    const codes = convlensDiagnostics(document.uri).map(codeOf);
    assert.ok(codes.includes('model.missing-input'), codes.join(', '));
    assert.ok(codes.includes('model.missing-layers'), codes.join(', '));
  });
});
