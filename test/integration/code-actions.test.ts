// Quick fixes, applied through the real CodeAction API; the results are checked by hand.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import {
  api,
  closeAllEditors,
  codeOf,
  convlensDiagnostics,
  copyModel,
  createModel,
  hintLabel,
  inlayHints,
  rangeOf,
  valueRange,
} from './helpers';

async function quickFixes(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    document.uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return actions.filter((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value);
}

async function apply(document: vscode.TextDocument, action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit, `${action.title} has an edit`);
  assert.ok(await vscode.workspace.applyEdit(action.edit));
  await (await api()).whenAnalyzed(document.uri, document.version);
}

describe('quick fixes', () => {
  afterEach(closeAllEditors);

  it('sets the padding that makes a strided division exact', async () => {
    // (28 + 2P − 5) / 3 + 1 is an integer for P = 2 (27 / 3 + 1 = 10) and P = 5; 2 is nearest to 0.
    const document = await createModel('input: [1, 3, 28, 28]\nlayers:\n  - conv2d: {out_channels: 8, kernel_size: 5, stride: 3}\n');
    const fixes = await quickFixes(document, valueRange(document, 'stride: 3', 'stride'));
    const titles = fixes.map((f) => f.title);
    const preferred = fixes.find((f) => f.isPreferred);
    assert.ok(preferred, `a preferred fix among ${titles.join(' | ')}`);
    assert.match(preferred.title, /padding to 2\b/);
    await apply(document, preferred);
    assert.match(document.lineAt(2).text, /padding: 2/);
    assert.deepStrictEqual(convlensDiagnostics(document.uri), []);
    assert.strictEqual(hintLabel((await inlayHints(document))[0]!), '→ [1, 8, 10, 10]');
  });

  it('writes the right in_channels', async () => {
    const document = await copyModel('test-models/mistakes.cnn.yaml');
    const fixes = await quickFixes(document, valueRange(document, 'in_channels: 3', 'in_channels'));
    const fix = fixes.find((f) => f.title.includes('in_channels'));
    assert.ok(fix, fixes.map((f) => f.title).join(' | '));
    await apply(document, fix);
    // conv1 outputs 8 channels.
    assert.match(document.getText(), /in_channels: 8\}/);
    assert.ok(!convlensDiagnostics(document.uri).some((d) => codeOf(d) === 'conv.channel-mismatch'));
  });

  it('corrects a misspelt parameter and a misspelt kind', async () => {
    const document = await copyModel('test-models/mistakes.cnn.yaml');
    const keyFix = (await quickFixes(document, rangeOf(document, 'kernel_sise'))).find((f) => f.title.includes("'kernel_size'"));
    assert.ok(keyFix);
    await apply(document, keyFix);
    const kindFix = (await quickFixes(document, rangeOf(document, 'reluu'))).find((f) => f.title.includes("'relu'"));
    assert.ok(kindFix);
    await apply(document, kindFix);
    assert.match(document.getText(), /conv2d: \{out_channels: 16, kernel_size: 3\}/);
    assert.match(document.getText(), /- name: act\n {4}relu: \{\}/);
    const codes = convlensDiagnostics(document.uri).map(codeOf);
    for (const code of ['param.unknown', 'param.missing', 'layer.unknown-kind']) assert.ok(!codes.includes(code), codes.join(', '));
  });

  it('inserts the missing flatten before a linear layer', async () => {
    const document = await copyModel('test-models/unflattened.cnn.yaml');
    // conv (8 − 3) + 1 = 6 → [1, 4, 6, 6]; Linear on a 4-D input is a warning with a fix.
    const fixes = await quickFixes(document, rangeOf(document, 'linear'));
    const fix = fixes.find((f) => /flatten/i.test(f.title));
    assert.ok(fix, fixes.map((f) => f.title).join(' | '));
    await apply(document, fix);
    assert.match(document.getText(), /\n {2}- flatten: \{\}\n {2}- linear: \{out_features: 10\}/);
    assert.deepStrictEqual(convlensDiagnostics(document.uri), []);
    // flatten 4·6·6 = 144, then linear → 10.
    assert.deepStrictEqual((await inlayHints(document)).map(hintLabel), ['→ [1, 4, 6, 6]', '→ [1, 144]', '→ [1, 10]']);
  });
});
