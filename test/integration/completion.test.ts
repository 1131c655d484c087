// Completion: kinds with their parameters (from the contract's table), parameter values,
// `from` references and dataset presets.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { closeAllEditors, createModel, positionOf } from './helpers';

const MODEL = [
  'input: {dataset: }',
  'layers:',
  '  - name: a',
  '    conv2d: {out_channels: 8, kernel_size: 3, }',
  '  - name: b',
  '    conv2d: {out_channels: 8, kernel_size: 3, padding: }',
  '  - name: c',
  '    maxpool2d:',
  '      kernel_size: 2',
  '      ',
  '  - name: d',
  '    add: {}',
  '    from: [a, ]',
  '  - ',
  '',
].join('\n');

// The contract's layer kinds (docs/model-format.md §1).
const CONTRACT_KINDS = [
  'conv2d',
  'conv_transpose2d',
  'maxpool2d',
  'avgpool2d',
  'adaptive_avgpool2d',
  'adaptive_maxpool2d',
  'batchnorm2d',
  'relu',
  'relu6',
  'leaky_relu',
  'sigmoid',
  'tanh',
  'gelu',
  'silu',
  'hardswish',
  'hardsigmoid',
  'dropout',
  'flatten',
  'linear',
  'add',
  'concat',
  'upsample',
];

async function complete(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
  return list.items;
}

function label(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function snippet(item: vscode.CompletionItem | undefined): string {
  const text = item?.insertText;
  return typeof text === 'string' ? text : (text?.value ?? '');
}

describe('completion', () => {
  let document: vscode.TextDocument;
  before(async () => {
    document = await createModel(MODEL, 'completion');
  });
  after(closeAllEditors);

  it('offers every layer kind, `name` and `from` at a new list item', async () => {
    const items = await complete(document, new vscode.Position(13, 4));
    const labels = items.map(label);
    for (const kind of CONTRACT_KINDS) assert.ok(labels.includes(kind), `offers ${kind}`);
    assert.ok(labels.includes('name') && labels.includes('from'));
    assert.ok(!labels.includes('unresolved'), 'the front end placeholder is not offered');
    const conv = items.find((i) => label(i) === 'conv2d');
    assert.strictEqual(conv?.detail, 'torch.nn.Conv2d');
    // The required parameters, as snippet placeholders.
    assert.strictEqual(snippet(conv), 'conv2d: {out_channels: ${1:16}, kernel_size: ${2:3}}$0');
    assert.strictEqual(snippet(items.find((i) => label(i) === 'relu')), 'relu: {}$0');
  });

  it('offers the parameters not yet written, with their PyTorch defaults', async () => {
    const items = await complete(document, positionOf(document, 'kernel_size: 3, }', '}'));
    const labels = items.map(label);
    for (const param of ['stride', 'padding', 'dilation', 'groups', 'bias']) assert.ok(labels.includes(param), `offers ${param}`);
    assert.ok(!labels.includes('out_channels') && !labels.includes('kernel_size'), 'written keys are not offered again');
    const stride = items.find((i) => label(i) === 'stride');
    assert.match(stride?.detail ?? '', /default 1\b/);
    assert.strictEqual(snippet(stride), 'stride: ${1:1}');
    assert.match(items.find((i) => label(i) === 'bias')?.detail ?? '', /default true/);
  });

  it('offers block-style parameters, with the derived pooling stride default', async () => {
    const items = await complete(document, new vscode.Position(9, 6));
    const labels = items.map(label);
    assert.ok(labels.includes('stride') && labels.includes('ceil_mode'), labels.join(', '));
    assert.ok(!labels.includes('kernel_size'));
    assert.match(items.find((i) => label(i) === 'stride')?.detail ?? '', /kernel_size/);
  });

  it("offers 'same' and 'valid' for a convolution's padding", async () => {
    const items = await complete(document, positionOf(document, 'padding: }', '}'));
    const labels = items.map(label);
    assert.ok(labels.includes('same') && labels.includes('valid'), labels.join(', '));
  });

  it('offers the earlier layers (and the input) in `from`', async () => {
    const items = await complete(document, positionOf(document, 'from: [a, ]', ']'));
    const labels = items.map(label);
    for (const name of ['input', 'a', 'b', 'c']) assert.ok(labels.includes(name), `offers ${name}: ${labels.join(', ')}`);
    assert.ok(!labels.includes('d'), 'a layer cannot take itself as input');
  });

  it('offers the dataset presets', async () => {
    const items = await complete(document, positionOf(document, 'dataset: }', '}'));
    const labels = items.map(label);
    for (const preset of ['voc', 'ilsvrc', 'coco', 'openimages']) assert.ok(labels.includes(preset), `offers ${preset}`);
  });
});
