// The im2col view: matrix dimensions as the issue writes them, row ↔ output position, and each
// row (gathered by the engine's im2col) equal to the window read directly from the input.

import { strict as assert } from 'node:assert';
import { analyzeYaml, type AnalyzedLayer } from '../../src/core';
import { formatIm2colDims, im2colRow, im2colShape, rowPosition, windowTaps } from '../../webview/preview/im2col-view';

function layer(text: string, name: string): AnalyzedLayer {
  const model = analyzeYaml(text).model;
  const found = model?.byName.get(name);
  assert.ok(found, `layer ${name}`);
  return found;
}

function random(n: number, seed = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

describe('preview im2col view', () => {
  it('gives LeNet conv1 a (1·28·28) × (1·5·5) matrix', () => {
    const text = 'input: [1, 1, 28, 28]\nlayers:\n  - name: conv1\n    conv2d: {out_channels: 6, kernel_size: 5, padding: 2}\n';
    const shape = im2colShape(layer(text, 'conv1'));
    assert.ok(shape);
    assert.equal(formatIm2colDims(shape), '(N·OH·OW) × (C·FH·FW) = (1·28·28) × (1·5·5) = 784 × 25');
    assert.deepEqual(rowPosition(shape, 0), { n: 0, oh: 0, ow: 0 });
    assert.deepEqual(rowPosition(shape, 29), { n: 0, oh: 1, ow: 1 });
    assert.deepEqual(windowTaps(shape, 0, 0), { rows: [-2, -1, 0, 1, 2], cols: [-2, -1, 0, 1, 2] });
  });

  it('counts the batch and the groups', () => {
    const text = 'input: [2, 8, 9, 9]\nlayers:\n  - name: g\n    conv2d: {out_channels: 4, kernel_size: 3, stride: 2, groups: 2}\n';
    const shape = im2colShape(layer(text, 'g'));
    assert.ok(shape);
    assert.equal(formatIm2colDims(shape), '(N·OH·OW) × ((C/groups)·FH·FW) = (2·4·4) × (8/2·3·3) = 32 × 36, per group (2 groups)');
    assert.deepEqual(rowPosition(shape, 17), { n: 1, oh: 0, ow: 1 });
  });

  it('is undefined for layers that are not conv2d', () => {
    const text = 'input: [1, 1, 8, 8]\nlayers:\n  - name: p\n    maxpool2d: {kernel_size: 2}\n';
    assert.equal(im2colShape(layer(text, 'p')), undefined);
  });

  for (const params of [
    'kernel_size: 3, padding: 1',
    'kernel_size: [3, 2], stride: [2, 1], padding: [1, 0]',
    'kernel_size: 3, dilation: 2, padding: 2, stride: 2',
    'kernel_size: 3, groups: 3, padding: same',
  ]) {
    it(`gathers rows equal to the window read directly (${params})`, () => {
      const text = `input: [1, 3, 7, 6]\nlayers:\n  - name: c\n    conv2d: {out_channels: 3, ${params}}\n`;
      const shape = im2colShape(layer(text, 'c'));
      assert.ok(shape);
      const x = random(3 * 7 * 6);
      const { h, w } = shape.geometry;
      for (let group = 0; group < shape.groups; group++) {
        for (let oh = 0; oh < shape.outputH; oh++) {
          for (let ow = 0; ow < shape.outputW; ow++) {
            const row = im2colRow(shape, x, group, oh, ow);
            assert.equal(row.length, shape.cols);
            let k = 0;
            for (let c: number = group * shape.channelsPerGroup; c < (group + 1) * shape.channelsPerGroup; c++) {
              for (let kh = 0; kh < h.kernel; kh++) {
                for (let kw = 0; kw < w.kernel; kw++) {
                  const ih = oh * h.stride - h.padBefore + kh * h.dilation;
                  const iw = ow * w.stride - w.padBefore + kw * w.dilation;
                  const inside = ih >= 0 && ih < 7 && iw >= 0 && iw < 6;
                  assert.equal(row[k++], inside ? x[(c * 7 + ih) * 6 + iw] : 0, `(${oh}, ${ow}) tap (${c}, ${kh}, ${kw})`);
                }
              }
            }
          }
        }
      }
    });
  }
});
