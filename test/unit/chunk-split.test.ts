// chunk and split: several outputs, taken one at a time with `from: name.k`. Oracles: torch.chunk
// and torch.split's documented part sizes (hand cases), hand-counted shapes and params, and the
// engine's parts compared element by element with the input they were cut from.

import { strict as assert } from 'node:assert';
import { analyzeYaml, runModel } from '../../src/core';
import { chunkSizes, splitSizes } from '../../src/core/kinds/chunk/parts';
import { takeSlice } from '../../src/core/kinds/chunk/kernel';
import { tensor } from '../../src/core/engine/tensor';
import { reportJson } from '../../src/core/analyze/report';
import { deserializeAnalysis, serializeAnalysis } from '../../src/shared/model-transfer';
import { validateToWebview } from '../../src/shared/preview-messages';

/** Kinds whose kernels are checked here (by hand and against the input they cut), not by PyTorch fixtures. */
export const PART_KINDS_CHECKED_BY_HAND = ['chunk', 'split'];

const SHUFFLE = `input: [1, 6, 4, 4]
layers:
  - name: c
    chunk: {chunks: 2}
  - name: branch
    conv2d: {out_channels: 3, kernel_size: 1}
    from: c.1
  - name: joined
    concat: {}
    from: [c.0, branch]
  - name: s
    split: {split_size: 4, dim: 1}
    from: joined
  - name: tail
    relu: {}
    from: s.1
`;

function codes(text: string): string[] {
  return analyzeYaml(text).diagnostics.map((d) => d.code);
}

describe('chunk and split', () => {
  it('part sizes as torch.chunk and torch.split give them', () => {
    // torch.arange(5).chunk(4) has 3 parts of 2, 2, 1; .chunk(2) of 116 → 58, 58; torch.split(arange(5), 2) → 2, 2, 1.
    assert.deepEqual(chunkSizes(5, 4), [2, 2, 1]);
    assert.deepEqual(chunkSizes(116, 2), [58, 58]);
    assert.deepEqual(chunkSizes(7, 3), [3, 3, 1]);
    assert.deepEqual(chunkSizes(6, 4), [2, 2, 2]);
    assert.deepEqual(chunkSizes(3, 5), [1, 1, 1]);
    assert.deepEqual(splitSizes(5, 2), [2, 2, 1]);
    assert.deepEqual(splitSizes(4, 4), [4]);
    assert.deepEqual(splitSizes(3, 10), [3]);
  });

  it('`from: name.k` reads part k (ShuffleNetV2 unit): shapes, params and the hover facts', () => {
    const result = analyzeYaml(SHUFFLE);
    assert.deepEqual(result.diagnostics, []);
    const m = result.model!;
    const shapes = Object.fromEntries(m.layers.map((l) => [l.name, l.outputShape]));
    assert.deepEqual(shapes, { c: [1, 6, 4, 4], branch: [1, 3, 4, 4], joined: [1, 6, 4, 4], s: [1, 6, 4, 4], tail: [1, 2, 4, 4] });
    // conv 1×1 on 3 channels to 3: 3·3 + 3 = 12 params, 3·16·3 = 144 MACs.
    assert.deepEqual([m.byName.get('branch')!.params, m.byName.get('branch')!.macs], [12n, 144n]);
    assert.deepEqual(m.byName.get('branch')!.inputShapes, [[1, 3, 4, 4]]);
    assert.deepEqual(m.byName.get('joined')!.inputs, ['c', 'branch']);
    assert.deepEqual(m.byName.get('c')!.facts, [{ label: 'outputs', value: 'c.0 [1, 3, 4, 4], c.1 [1, 3, 4, 4]' }]);
    assert.deepEqual(m.byName.get('s')!.facts, [{ label: 'outputs', value: 's.0 [1, 4, 4, 4], s.1 [1, 2, 4, 4]' }]);
    assert.equal(m.byName.get('c')!.params, 0n);
    const json = reportJson([{ file: 'm.cnn.yaml', result }]) as { files: { model: { totals_complete: boolean } }[] };
    assert.equal(json.files[0]!.model.totals_complete, true);
  });

  it('errors: a bare name of a layer with several outputs, an index past the last, an index on a one-output layer, dim out of range', () => {
    const bare = analyzeYaml(SHUFFLE.replace('from: c.1', 'from: c'));
    assert.deepEqual(
      bare.diagnostics.map((d) => d.code),
      ['graph.output-index'],
    );
    assert.match(bare.diagnostics[0]!.message, /^branch: 'c' has 2 outputs \(chunk\); take one in `from`: `c.0` … `c.1`$/);
    // Without `from`, the layer after a chunk reads it whole: the same error.
    assert.deepEqual(codes('input: [1, 4, 2, 2]\nlayers:\n  - chunk: {chunks: 2}\n  - relu: {}\n'), ['graph.output-index']);
    const past = analyzeYaml(SHUFFLE.replace('from: c.1', 'from: c.2'));
    assert.match(past.diagnostics[0]!.message, /'c' has 2 outputs, so there is no `c.2`/);
    const single = analyzeYaml(SHUFFLE.replace('from: joined', 'from: branch.0'));
    assert.deepEqual(
      single.diagnostics.map((d) => d.code),
      ['graph.not-multi-output'],
    );
    assert.deepEqual(codes(SHUFFLE.replace('chunk: {chunks: 2}', 'chunk: {chunks: 2, dim: 4}')), ['chunk.dim-out-of-range']);
    assert.deepEqual(codes(SHUFFLE.replace('chunk: {chunks: 2}', 'chunk: {}')).slice(0, 1), ['param.missing']);
  });

  it('a layer literally named "x.1" is still found by its name', () => {
    const result = analyzeYaml('input: [1, 2, 3, 3]\nlayers:\n  - name: x.1\n    relu: {}\n  - sigmoid: {}\n    from: x.1\n');
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(result.model!.layers[1]!.inputs, ['x.1']);
  });

  it('the engine: each part is its slice of the input; a model runs on both backends', () => {
    const x = tensor(
      [2, 5, 1, 2],
      Float32Array.from({ length: 20 }, (_, i) => i),
    );
    // Channels 2..3 of each batch item: batch 0 elements 4..7, batch 1 elements 14..17.
    assert.deepEqual(Array.from(takeSlice(x, { dim: 1, start: 2, size: 2 }).data), [4, 5, 6, 7, 14, 15, 16, 17]);
    assert.deepEqual(takeSlice(x, { dim: 1, start: 2, size: 2 }).shape, [2, 2, 1, 2]);
    const model = analyzeYaml(SHUFFLE).model!;
    const input = Float32Array.from({ length: 96 }, (_, i) => Math.cos(i));
    for (const backend of ['ts', 'wasm'] as const) {
      const run = runModel(model, input, { kind: 'random', seed: 3 }, { backend });
      const joined = run.outputs.get('joined')!;
      // joined = [c.0, branch]: its first 3 channels are the input's first 3 (48 values).
      assert.deepEqual(Array.from(joined.data.subarray(0, 48)), Array.from(input.subarray(0, 48)));
      // tail = relu(s.1) = relu of joined's channels 4..5.
      const tail = run.outputs.get('tail')!;
      assert.deepEqual(tail.shape, [1, 2, 4, 4]);
      assert.deepEqual(
        Array.from(tail.data),
        Array.from(joined.data.subarray(64, 96)).map((v) => Math.max(0, v)),
      );
    }
  });

  it('the parts a layer reads survive the trip to the preview (JSON turns the missing slices into null)', () => {
    const model = analyzeYaml(SHUFFLE).model!;
    const message = {
      type: 'model',
      uri: 'file:///w/m.cnn.yaml',
      fileName: 'm.cnn.yaml',
      version: 1,
      model: { kind: 'runnable', analysis: serializeAnalysis(model) },
      memoryBudgetMB: 1024,
    };
    const result = validateToWebview(JSON.parse(JSON.stringify(message)));
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.ok(result.message.type === 'model' && result.message.model.kind === 'runnable');
    const back = deserializeAnalysis(result.message.model.analysis);
    assert.deepEqual(back.byName.get('joined')!.inputSlices, [{ part: 0, dim: 1, start: 0, size: 3 }, undefined]);
    assert.deepEqual(back.byName.get('tail')!.inputSlices, [{ part: 1, dim: 1, start: 4, size: 2 }]);
    assert.deepEqual(back.byName.get('s')!.outputParts, { dim: 1, sizes: [4, 2] });
  });
});
