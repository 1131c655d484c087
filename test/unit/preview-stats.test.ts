// How the preview splits a tensor into heatmaps and what it reports about each.

import { strict as assert } from 'node:assert';
import { loadWasmGemm } from '../../src/core/engine/wasm/index';
import {
  combinedRange,
  emptyStatsTable,
  histogram,
  planeLayout,
  planeStats,
  statsBuffers,
  statsRows,
  tensorStats,
  tensorStatsTable,
} from '../../webview/preview/stats';

describe('preview statistics', () => {
  it('lays out batch item 0 as heatmaps', () => {
    assert.deepEqual(planeLayout([2, 6, 28, 28]), { planes: 6, height: 28, width: 28, itemSize: 6 * 784 });
    assert.deepEqual(planeLayout([1, 10]), { planes: 1, height: 1, width: 10, itemSize: 10 });
    assert.deepEqual(planeLayout([1, 4, 7]), { planes: 4, height: 1, width: 7, itemSize: 28 });
    assert.deepEqual(planeLayout([1, 2, 3, 4, 5]), { planes: 1, height: 1, width: 120, itemSize: 120 });
  });

  it('computes min, max and non-zero count per heatmap of batch item 0', () => {
    const data = Float32Array.from([0, 1, -2, 0, /* channel 1 */ 3, 3, 3, 3, /* batch item 1 */ 9, 9, 9, 9, 9, 9, 9, 9]);
    assert.deepEqual(tensorStats([2, 2, 2, 2], data), [
      { min: -2, max: 1, nonZero: 2, count: 4 },
      { min: 3, max: 3, nonZero: 4, count: 4 },
    ]);
    assert.deepEqual(planeStats([NaN, 1], 0, 2), { min: 1, max: 1, nonZero: 2, count: 2 });
  });

  it('tabulates the same statistics as columns, by the JavaScript loop and by the module, and gives rows back', () => {
    const data = Float32Array.from([
      0,
      1,
      -2,
      0,
      /* channel 1 */ 3,
      NaN,
      3,
      3,
      /* channel 2 */ 0,
      0,
      0,
      0,
      /* batch item 1 */ 9,
      9,
      9,
      9,
      9,
      9,
      9,
      9,
      9,
      9,
      9,
      9,
    ]);
    const expected = [
      { min: -2, max: 1, nonZero: 2, count: 4 },
      { min: 3, max: 3, nonZero: 4, count: 4 },
      { min: 0, max: 0, nonZero: 0, count: 4 },
    ];
    const js = tensorStatsTable([2, 3, 2, 2], data);
    assert.deepEqual(statsRows(js), expected);
    assert.deepEqual(statsRows(js, 2), expected.slice(0, 2));
    const wasm = loadWasmGemm();
    assert.ok(wasm, 'the WebAssembly module loads');
    assert.deepEqual(statsRows(tensorStatsTable([2, 3, 2, 2], data.subarray(0, 12), wasm)), expected);
    assert.deepEqual(statsBuffers(js), [js.min.buffer, js.max.buffer, js.nonZero.buffer]);
    assert.deepEqual(statsRows(emptyStatsTable()), []);
  });

  it('combines the finite ranges of several heatmaps', () => {
    assert.deepEqual(
      combinedRange([
        { min: -1, max: 2, nonZero: 1, count: 1 },
        { min: 0, max: 5, nonZero: 1, count: 1 },
      ]),
      [-1, 5],
    );
    assert.deepEqual(combinedRange([{ min: -Infinity, max: Infinity, nonZero: 1, count: 1 }]), [0, 0]);
    assert.deepEqual(combinedRange([]), [0, 0]);
  });

  it('bins values into equal bins, the last one closed', () => {
    const h = histogram([0, 0.1, 0.5, 0.99, 1, 2, NaN], 0, 7, 4, 0, 1);
    assert.deepEqual([...h.counts], [2, 0, 1, 2]);
    assert.equal(h.skipped, 2);
    const flat = histogram([3, 3, 3], 0, 3, 8, 3, 3);
    assert.equal(flat.counts[0], 3);
  });
});
