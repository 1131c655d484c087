// The preview's built-in inputs: deterministic, in [0, 1], at any size, and each one what its
// name says (checked through simple image statistics rather than golden files).

import { strict as assert } from 'node:assert';
import { generateSample, SAMPLES, stripeFrequencies, type RgbImage, type SampleId } from '../../webview/preview/samples';

function channel(img: RgbImage, c: number): Float32Array {
  const plane = img.width * img.height;
  return img.data.subarray(c * plane, (c + 1) * plane);
}

function at(img: RgbImage, c: number, y: number, x: number): number {
  return img.data[c * img.width * img.height + y * img.width + x]!;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** Sign changes of (v − 0.5) along a row: two per cycle. */
function crossings(img: RgbImage, y: number): number {
  let count = 0;
  for (let x = 1; x < img.width; x++) if (at(img, 0, y, x - 1) - 0.5 > 0 !== at(img, 0, y, x) - 0.5 > 0) count++;
  return count;
}

describe('preview samples', () => {
  const ids = SAMPLES.map((s) => s.id);

  it('offers a digit, stripes, a checkerboard, a disc and a landscape', () => {
    assert.deepEqual(ids, ['digit', 'stripes', 'checkerboard', 'disc', 'natural']);
    for (const s of SAMPLES) assert.ok(s.label.length > 0 && s.description.length > 0);
  });

  for (const id of ['digit', 'stripes', 'checkerboard', 'disc', 'natural'] as SampleId[]) {
    it(`${id}: deterministic, in [0, 1], any size, not constant`, () => {
      for (const [w, h] of [
        [28, 28],
        [32, 32],
        [224, 224],
        [40, 17],
        [1, 1],
      ] as const) {
        const a = generateSample(id, w, h);
        const b = generateSample(id, w, h);
        assert.equal(a.data.length, 3 * w * h);
        assert.deepEqual(a.data, b.data, 'the same pixels every time');
        for (const v of a.data) assert.ok(v >= 0 && v <= 1 && Number.isFinite(v), `${v} in [0, 1]`);
        if (w * h > 100) {
          let lo = Infinity,
            hi = -Infinity;
          for (const v of a.data) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
          assert.ok(hi - lo > 0.3, `${id} ${w}×${h} has contrast`);
        }
      }
    });
  }

  it('rejects sizes that are not positive integers', () => {
    assert.throws(() => generateSample('digit', 0, 28), RangeError);
    assert.throws(() => generateSample('disc', 28.5, 28), RangeError);
  });

  it('digit: white strokes on black inside the central 20 × 20 of 28 × 28, as MNIST', () => {
    const img = generateSample('digit', 28, 28);
    const grey = channel(img, 0);
    assert.deepEqual(channel(img, 1), grey);
    const ink = grey.filter((v) => v > 0.5).length;
    assert.ok(ink > 60 && ink < 250, `${ink} ink pixels`);
    for (let i = 0; i < 28; i++) {
      for (const [y, x] of [
        [0, i],
        [i, 0],
        [27, i],
        [i, 27],
        [2, i],
        [i, 2],
        [25, i],
        [i, 25],
      ] as const) {
        assert.equal(at(img, 0, y, x), 0, `(${y}, ${x}) is background`);
      }
      // The 20 × 20 box starts at 4: row and column 3 get at most a trace of anti-aliasing.
      assert.ok(at(img, 0, 3, i) < 0.05 && at(img, 0, i, 3) < 0.05);
    }
    assert.equal(
      grey.reduce((a, b) => Math.max(a, b), 0),
      1,
    );
  });

  it('stripes: three bands at 2, 6 and W/4 cycles', () => {
    const img = generateSample('stripes', 64, 60);
    assert.deepEqual(stripeFrequencies(64), [2, 6, 16]);
    assert.equal(crossings(img, 5), 4);
    assert.equal(crossings(img, 30), 12);
    assert.equal(crossings(img, 55), 32);
  });

  it('checkerboard: 8 × 8 cells of exactly 0 and 1', () => {
    const img = generateSample('checkerboard', 32, 32);
    for (const v of img.data) assert.ok(v === 0 || v === 1);
    assert.equal(at(img, 0, 0, 0), 1);
    assert.equal(at(img, 0, 0, 4), 0);
    assert.equal(at(img, 0, 4, 4), 1);
    assert.equal(mean(channel(img, 0)), 0.5);
  });

  it('disc: orange inside, blue outside, anti-aliased edge', () => {
    const img = generateSample('disc', 64, 64);
    assert.ok(at(img, 0, 32, 32) > 0.9 && at(img, 2, 32, 32) < 0.2, 'orange centre');
    assert.ok(at(img, 0, 0, 0) < 0.1 && at(img, 2, 0, 0) > 0.4, 'blue corner');
    const partial = channel(img, 0).filter((v) => v > 0.15 && v < 0.9).length;
    assert.ok(partial > 0, 'some edge pixels are in between');
  });

  it('landscape: smooth, brighter sky above darker ground', () => {
    const img = generateSample('natural', 96, 96);
    const g = channel(img, 1);
    let step = 0;
    for (let y = 0; y < 96; y++) for (let x = 1; x < 96; x++) step += Math.abs(g[y * 96 + x]! - g[y * 96 + x - 1]!);
    assert.ok(step / (96 * 95) < 0.05, `mean horizontal step ${step / (96 * 95)} is small: smooth`);
    const sky = mean(channel(img, 2).subarray(0, 96 * 20));
    const ground = mean(channel(img, 2).subarray(96 * 80));
    assert.ok(sky > ground + 0.3, `blue sky (${sky}) over green ground (${ground})`);
  });
});
