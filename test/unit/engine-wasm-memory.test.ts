// Where a run's memory goes on the WebAssembly backend. The activations live in the module's
// memory (src/core/engine/wasm/arena.ts), so the heap during a run must hold what it held before
// (the packed weights and the GEMM's one workspace, the im2col panel buffer) plus the live
// activations, and nothing else: the oracle is the analysis's activation peak
// (`estimateActivationMemory`, computed from the layers' shapes and the liveness rule, never from
// a run). Outputs handed over in place must equal the copied ones and the TypeScript backend's.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { kernelFor } from '../../src/core/kinds/kernels';
import { estimateActivationMemory } from '../../src/core/run/memory';
import { runModel } from '../../src/core/run/runner';
import { shapeSize, tensor, withTensorStorage, type Tensor } from '../../src/core/engine/tensor';
import { resolveWeights } from '../../src/core/run/weights';
import { WasmTensorArena } from '../../src/core/engine/wasm/arena';
import { createEmbeddedWasmGemm, loadWasmGemm, wasmGemmUnavailableReason, type WasmGemm } from '../../src/core/engine/wasm/index';
import { RandomWeightsCache } from '../../webview/preview/worker/random-weights';
import { analyzeOrFail, randomTensor, relativeError } from './engine-support.test';

const MODELS = path.join(__dirname, '../../../test/fixtures/models');

function sharedOrFail(): WasmGemm {
  const wasm = loadWasmGemm();
  assert.ok(wasm, `the WebAssembly GEMM did not load: ${wasmGemmUnavailableReason()}`);
  return wasm;
}

/** A new instance with its own memory (the shared one's size depends on the tests before). */
function freshInstance(): WasmGemm {
  const made = createEmbeddedWasmGemm();
  assert.ok(!('unavailable' in made), 'unavailable' in made ? made.unavailable : '');
  return made;
}

/** A torchvision model at a small input, with fixed random tensors (so the packing persists between runs). */
function model(name: string, size: number) {
  const text = readFileSync(path.join(MODELS, `${name}.cnn.yaml`), 'utf8').replace(/^input: .*$/m, `input: [1, 3, ${size}, ${size}]`);
  const analysis = analyzeOrFail(text);
  const resolved = resolveWeights(analysis.layers, { kind: 'random', seed: 3 });
  const tensors = new Map<string, Tensor>();
  for (const [layer, params] of resolved.byLayer) for (const [suffix, t] of Object.entries(params)) tensors.set(`${layer}.${suffix}`, t);
  const input = randomTensor(analysis.input!, 11).data;
  return { analysis, input, weights: { kind: 'tensors' as const, tensors, label: name } };
}

// Per heap block, rounding to 64 bytes; and the staging of biases the kernels read from
// JavaScript arrays (a folded batch norm's b', a linear layer's bias: a few KiB at most).
const SLACK_PER_BLOCK = 64;
const STAGING_SLACK = 64 * 1024;

describe('engine WebAssembly backend: memory', () => {
  for (const [name, keepLast] of [
    ['resnet18', true],
    ['resnet18', false],
    ['mobilenet_v2', false],
    ['googlenet', true],
  ] as const) {
    it(`${name}, keep ${keepLast ? 'the logits' : 'every output'}: during a run the heap grows by the analysis's activation peak (less where layers fuse), after it by nothing`, () => {
      const wasm = sharedOrFail();
      const { analysis, input, weights } = model(name, 64);
      const keep = keepLast ? [analysis.layers[analysis.layers.length - 1]!.name] : ('all' as const);
      // The first run packs the weights; they stay packed for the runs after it.
      runModel(analysis, input, weights, { backend: 'wasm', keep });
      const before = wasm.heapBytes().allocated;
      wasm.resetHeapPeak();
      const result = runModel(analysis, input, weights, { backend: 'wasm', keep });
      const grew = wasm.heapBytes().peak - before;
      const estimate = estimateActivationMemory(analysis, keep).peakBytes;
      // The one column buffer: the GEMM's im2col panels sit in its fixed workspace (before the
      // run); Winograd layers stage their transformed tiles in one block, sized for the largest.
      const columns = Math.max(0, ...analysis.layers.map((l) => kernelFor(l.kind)?.wasmScratchBytes?.(l) ?? 0));
      const slack = SLACK_PER_BLOCK * (analysis.layers.length + 1) + STAGING_SLACK + columns;
      assert.ok(grew <= estimate + slack, `the heap grew by ${grew} bytes during the run, over the activation peak ${estimate} + ${slack}`);
      if (keepLast) {
        // Fused conv → batch norm → ReLU chains never make the intermediate outputs, so the run
        // needs less than the estimate; still, every output it made was in module memory.
        const made = result.timings
          .filter((t) => t.fusedInto === undefined)
          .map((t) => shapeSize(analysis.byName.get(t.name)!.outputShape!) * 4);
        const largest = Math.max(...made);
        assert.ok(
          grew >= largest,
          `the activations were not in module memory: the heap grew by ${grew} bytes, the largest output is ${largest}`,
        );
      } else {
        assert.ok(
          grew >= estimate,
          `the activations were not in module memory: the heap grew by ${grew} bytes, the activation peak is ${estimate}`,
        );
      }
      assert.equal(wasm.heapBytes().allocated, before, 'the run left module memory allocated');
      assert.ok(result.outputs.size > 0);
    });
  }

  it("outputs 'in-place' equal the copied outputs and the TypeScript backend's; release() frees them and later reads throw", () => {
    const wasm = sharedOrFail();
    const { analysis, input, weights } = model('resnet18', 48);
    const reference = runModel(analysis, input, weights, { backend: 'ts' });
    const copied = runModel(analysis, input, weights, { backend: 'wasm' });
    const before = wasm.heapBytes().allocated;
    const inPlace = runModel(analysis, input, weights, { backend: 'wasm', outputs: 'in-place' });
    const held = wasm.heapBytes().allocated - before;
    // flatten shares its input's buffer.
    const all = analysis.layers.filter((l) => l.kind !== 'flatten').reduce((sum, l) => sum + shapeSize(l.outputShape!) * 4, 0);
    assert.ok(held >= all, `in place, the kept outputs (${all} bytes) stay in module memory; ${held} bytes are held`);
    for (const layer of analysis.layers) {
      const fast = inPlace.outputs.get(layer.name)!;
      assert.equal(fast.data.buffer, wasm.memoryBuffer(), `${layer.name} is not in module memory`);
      assert.ok(relativeError(fast, reference.outputs.get(layer.name)!) <= 1e-5, `${layer.name}: in place vs ts`);
      assert.deepEqual([...fast.data], [...copied.outputs.get(layer.name)!.data], `${layer.name}: in place vs copied`);
      assert.notEqual(
        copied.outputs.get(layer.name)!.data.buffer,
        wasm.memoryBuffer(),
        `${layer.name}: a copied output is a JavaScript array`,
      );
    }
    inPlace.release();
    assert.equal(wasm.heapBytes().allocated, before);
    assert.throws(() => inPlace.outputs.get(analysis.layers[0]!.name)!.data, /disposed/);
  });

  it('a kept flatten shares its input block; both stay readable in place and are freed together', () => {
    const wasm = sharedOrFail();
    const analysis = analyzeOrFail(`
input: [2, 3, 9, 9]
layers:
  - name: conv
    conv2d: {out_channels: 4, kernel_size: 3}
  - name: flat
    flatten: {}
  - name: fc
    linear: {out_features: 5}
`);
    const input = randomTensor(analysis.input!, 2).data;
    const weights = { kind: 'random' as const, seed: 4 };
    const reference = runModel(analysis, input, weights, { backend: 'ts' });
    const before = wasm.heapBytes().allocated;
    const run = runModel(analysis, input, weights, { backend: 'wasm', outputs: 'in-place' });
    const conv = run.outputs.get('conv')!,
      flat = run.outputs.get('flat')!;
    assert.equal(flat.data.byteOffset, conv.data.byteOffset, 'flatten copies nothing');
    for (const name of ['conv', 'flat', 'fc']) assert.ok(relativeError(run.outputs.get(name)!, reference.outputs.get(name)!) <= 1e-5, name);
    run.release();
    assert.equal(wasm.heapBytes().allocated, before);
  });

  it('arena tensors follow the memory when it grows; growth inside lockGrowth throws past the reservation, naming who', () => {
    const wasm = freshInstance();
    const arena = new WasmTensorArena(wasm);
    const values = Array.from({ length: 1000 }, (_, i) => i * 0.5 - 7);
    const t = withTensorStorage(arena, () => tensor([10, 100]));
    assert.deepEqual([...t.data].slice(0, 3), [0, 0, 0], 'zero-filled');
    t.data.set(values);
    const reshaped = withTensorStorage(arena, () => tensor([1000], t.data.subarray(0)));
    const part = withTensorStorage(arena, () => tensor([100], t.data.subarray(300, 400)));
    const oldBuffer = wasm.memoryBuffer();
    wasm.reserve(wasm.memoryBytes() + (8 << 20));
    assert.notEqual(wasm.memoryBuffer(), oldBuffer, 'the reservation grew the memory');
    assert.equal(oldBuffer.byteLength, 0, 'growth detached the old buffer');
    assert.deepEqual([...t.data], values);
    assert.deepEqual([...reshaped.data], values);
    assert.deepEqual([...part.data], values.slice(300, 400));
    // Reserved: allocations up to the reservation do not grow; past it, they throw.
    const size = wasm.memoryBytes();
    wasm.lockGrowth('test', () => arena.allocate([1 << 20], true));
    assert.equal(wasm.memoryBytes(), size);
    assert.throws(
      () => wasm.lockGrowth('layer x', () => arena.allocate([size / 4], false)),
      /layer x allocated .* MiB more than was reserved/,
    );
    // A block freed and handed out again is zero-filled when asked.
    arena.sweep([t]);
    const again = arena.allocate([1 << 20], true);
    assert.ok(again.data.every((v) => v === 0));
    arena.release();
    assert.throws(() => t.data, /disposed/);
  });

  it('allowGrowth inside a lock: what it keeps counts against the reservation, what it frees again does not', () => {
    const wasm = freshInstance();
    // At least this much room above the heap's top (the memory grows by exactly what is missing).
    const reserved = wasm.memoryBytes() + (8 << 20);
    wasm.reserve(reserved);
    const MiB = 1 << 20;
    wasm.lockGrowth('layer y', () => {
      // Packing inside the layer keeps 2 MiB and 64 KiB, and staged 3 MiB between them that it
      // frees again: a hole below the top, too small for what the layer allocates next.
      const [packed, scratch] = wasm.allowGrowth(() => {
        const kept = wasm.allocate((2 * MiB) / 4);
        const staging = wasm.allocate((3 * MiB) / 4);
        const block = wasm.allocate((64 << 10) / 4);
        staging.dispose();
        return [kept, block];
      });
      // The rest of the reservation still fits without growth.
      const own = wasm.allocate((reserved - 2 * MiB - (192 << 10)) / 4);
      own.dispose();
      packed.dispose();
      scratch.dispose();
    });
    assert.throws(
      () => wasm.lockGrowth('layer z', () => wasm.allocate(wasm.memoryBytes() / 4)),
      /layer z allocated .* MiB more than was reserved/,
    );
  });

  it('a staging block that cannot grow under a lock is forgotten, not freed twice', () => {
    const wasm = freshInstance();
    wasm.relu(new Float32Array(16), new Float32Array(16)); // makes the staging blocks
    const big = new Float32Array(wasm.memoryBytes() / 2);
    assert.throws(() => wasm.lockGrowth('layer w', () => wasm.relu(big, big)), /layer w allocated .* MiB more than was reserved/);
    wasm.releaseScratch();
    wasm.relu(big, big);
    wasm.releaseScratch();
  });

  it("the preview's configuration (random weights drawn when first packed, every output kept in place) runs torchvision models, twice", () => {
    for (const name of ['resnet18', 'googlenet', 'mobilenet_v2']) {
      const text = readFileSync(path.join(MODELS, `${name}.cnn.yaml`), 'utf8').replace(/^input: .*$/m, 'input: [1, 3, 112, 112]');
      const analysis = analyzeOrFail(text);
      const cache = new RandomWeightsCache({ lazy: true });
      const input = randomTensor(analysis.input!, 5).data;
      const logits: Float32Array[] = [];
      for (let run = 1; run <= 2; run++) {
        const tensors = new Map<string, Tensor>();
        for (const [layer, params] of cache.resolve(analysis.layers, 9))
          for (const [suffix, t] of Object.entries(params)) tensors.set(`${layer}.${suffix}`, t);
        const result = runModel(
          analysis,
          input,
          { kind: 'tensors', tensors, label: name },
          { backend: 'wasm', keep: 'all', outputs: 'in-place' },
        );
        logits.push(result.outputs.get(analysis.layers[analysis.layers.length - 1]!.name)!.data.slice());
        result.release();
      }
      assert.deepEqual(logits[1], logits[0], `${name}: the second run (weights packed) gives the first run's logits`);
    }
  });

  it('packs a weight larger than one staging band (16 MiB) band by band, equal to the unpacked product', () => {
    const wasm = sharedOrFail();
    const seeded = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed + i * 0.37));
    // A: 40 × 131,072 (5.2 M floats: bands of 30 rows, panels of 5); B: 131,072 × 3.
    const [M, K, N] = [40, 1 << 17, 3];
    const a = seeded(M * K, 1),
      b = seeded(K * N, 2);
    const viaPacked = new Float32Array(M * N),
      direct = new Float32Array(M * N);
    const packedA = wasm.packA(M, K, a);
    wasm.sgemm(M, N, K, packedA, b, viaPacked);
    wasm.sgemm(M, N, K, a, b, direct);
    packedA.dispose();
    assert.deepEqual([...viaPacked], [...direct], 'packA in bands');
    // A linear layer's weight as B stored N×K: 20 × 262,144 (bands of 16 rows, panels of 8).
    const [M2, K2, N2] = [2, 1 << 18, 20];
    const x = seeded(M2 * K2, 3),
      w = seeded(N2 * K2, 4);
    const viaPackedB = new Float32Array(M2 * N2),
      directB = new Float32Array(M2 * N2);
    const packedB = wasm.packB(K2, N2, w, { transposed: true });
    wasm.sgemm(M2, N2, K2, x, packedB, viaPackedB);
    wasm.sgemm(M2, N2, K2, x, w, directB, { transposeB: true });
    packedB.dispose();
    assert.deepEqual([...viaPackedB], [...directB], 'packB (transposed) in bands');
    wasm.releaseScratch();
  });

  it('runs VGG-11 (133 M parameters; the first classifier weight alone is 411 MB) at 32×32, equal to the TypeScript backend', () => {
    sharedOrFail();
    const text = readFileSync(path.join(__dirname, '../../../examples/vgg11.cnn.yaml'), 'utf8').replace(
      /^input: .*$/m,
      'input: [1, 3, 32, 32]',
    );
    const analysis = analyzeOrFail(text);
    const input = randomTensor(analysis.input!, 8).data;
    const weights = { kind: 'random' as const, seed: 2 };
    const last = analysis.layers[analysis.layers.length - 1]!.name;
    const fast = runModel(analysis, input, weights, { backend: 'wasm', keep: [last] }).outputs.get(last)!;
    const reference = runModel(analysis, input, weights, { backend: 'ts', keep: [last] }).outputs.get(last)!;
    assert.ok(relativeError(fast, reference) <= 1e-5, `logits: wasm vs ts ${relativeError(fast, reference).toExponential(2)}`);
  });
});
