// From an image to the model input: cover crop, area resize, channel conversion, normalization
// presets and batch replication, checked against hand-computed values.

import { strict as assert } from 'node:assert';
import {
  coverCrop,
  defaultNormalization,
  imageToInput,
  LUMA,
  NORMALIZATIONS,
  resizeImage,
  rgbaToImage,
} from '../../webview/preview/normalize';
import { rgbImage, type RgbImage } from '../../webview/preview/samples';

function image(width: number, height: number, fill: (c: number, y: number, x: number) => number): RgbImage {
  const img = rgbImage(width, height);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) img.data[(c * height + y) * width + x] = fill(c, y, x);
  return img;
}

function close(actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-6): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++)
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `[${i}] ${actual[i]} ≈ ${expected[i]}`);
}

describe('preview input normalization', () => {
  it('normalizes with the ImageNet mean and std per RGB channel', () => {
    const img = image(1, 1, (c) => [0.485 + 0.229, 0.456, 0][c]!);
    close(imageToInput(img, [1, 3, 1, 1], NORMALIZATIONS.imagenet), [1, 0, -0.406 / 0.225]);
  });

  it('[0, 1] leaves values as they are', () => {
    const img = image(2, 1, (c, _y, x) => (c + 1) * 0.1 + x * 0.5);
    close(imageToInput(img, [1, 3, 1, 2], NORMALIZATIONS.unit), [0.1, 0.6, 0.2, 0.7, 0.3, 0.8]);
  });

  it('gives 1-channel models the luma, normalized with the mean of the three means and stds', () => {
    const img = image(1, 1, (c) => [1, 0.5, 0][c]!);
    const luma = LUMA[0] * 1 + LUMA[1] * 0.5;
    close(imageToInput(img, [1, 1, 1, 1], NORMALIZATIONS.unit), [luma]);
    close(
      imageToInput(img, [1, 1, 1, 1], NORMALIZATIONS.imagenet),
      [(luma - (0.485 + 0.456 + 0.406) / 3) / ((0.229 + 0.224 + 0.225) / 3)],
      1e-6,
    );
    // Channel counts other than 3 get the luma in every channel.
    close(imageToInput(img, [1, 2, 1, 1], NORMALIZATIONS.unit), [luma, luma]);
  });

  it('repeats the image over the batch', () => {
    const img = image(1, 1, (c) => c / 4);
    close(imageToInput(img, [3, 3, 1, 1], NORMALIZATIONS.unit), [0, 0.25, 0.5, 0, 0.25, 0.5, 0, 0.25, 0.5]);
  });

  it('refuses inputs that are not [N, C, H, W] of the image size', () => {
    const img = image(2, 2, () => 0);
    assert.throws(() => imageToInput(img, [1, 4], NORMALIZATIONS.unit), /needs an image input \[N, C, H, W\]/);
    assert.throws(() => imageToInput(img, [1, 3, 3, 3], NORMALIZATIONS.unit), /image is 2 × 2, the input needs 3 × 3/);
  });

  it('defaults to ImageNet for RGB models and [0, 1] otherwise', () => {
    assert.equal(defaultNormalization(3), 'imagenet');
    assert.equal(defaultNormalization(1), 'unit');
    assert.equal(defaultNormalization(4), 'unit');
  });

  it('crops the centre to the destination aspect ratio', () => {
    assert.deepEqual(coverCrop(200, 100, 50, 50), { x: 50, y: 0, width: 100, height: 100 });
    assert.deepEqual(coverCrop(100, 200, 32, 32), { x: 0, y: 50, width: 100, height: 100 });
    assert.deepEqual(coverCrop(64, 48, 32, 24), { x: 0, y: 0, width: 64, height: 48 });
  });

  it('resizes by area averaging', () => {
    // 4 × 4 with values 0..15 (row-major) to 2 × 2: each output is the mean of a 2 × 2 block.
    const img = image(4, 4, (_c, y, x) => (y * 4 + x) / 15);
    const small = resizeImage(img, 2, 2);
    close(small.data.subarray(0, 4), [2.5 / 15, 4.5 / 15, 10.5 / 15, 12.5 / 15]);
    // 3 → 2 columns: weights 2/3·a + 1/3·b and 1/3·b + 2/3·c.
    const columns = image(3, 3, (_c, _y, x) => [0, 0.3, 0.9][x]!);
    close(resizeImage(columns, 2, 2).data.subarray(0, 4), [0.1, 0.7, 0.1, 0.7]);
    // Enlarging picks the nearest source pixel.
    close(
      resizeImage(
        image(2, 1, (_c, _y, x) => x),
        4,
        2,
      ).data.subarray(0, 8),
      [0, 0, 1, 1, 0, 0, 1, 1],
    );
  });

  it('crops a wide picture before resizing', () => {
    // 4 × 2: left half 0, right half 1 except the outer columns; the centre 2 × 2 is [0, 1].
    const wide = image(4, 2, (_c, _y, x) => [0.7, 0, 1, 0.2][x]!);
    close(resizeImage(wide, 2, 2).data.subarray(0, 4), [0, 1, 0, 1]);
  });

  it('reads RGBA bytes, compositing alpha on black', () => {
    const img = rgbaToImage(new Uint8ClampedArray([255, 0, 51, 255, 255, 255, 255, 0]), 2, 1);
    close(img.data, [1, 0, 0, 0, 0.2, 0]);
    assert.throws(() => rgbaToImage(new Uint8ClampedArray(7), 2, 1), RangeError);
  });
});
