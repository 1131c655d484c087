// The heatmap colour scale: diverging about 0 for signed data, viridis for non-negative data, a
// single colour for constant data, NaN in grey; and the value labels on legends.

import { strict as assert } from 'node:assert';
import { diverging, formatValue, makeColourScale, NAN_COLOUR, paint, viridis } from '../../webview/preview/page/colour';

describe('preview colour scale', () => {
  it('is diverging and symmetric about 0 when any value is negative', () => {
    const scale = makeColourScale(-0.5, 2, 'light');
    assert.equal(scale.kind, 'diverging');
    assert.deepEqual([scale.lo, scale.hi], [-2, 2]);
    assert.equal(scale.index(0), 127);
    assert.deepEqual(scale.colourOf(0), [247, 247, 247], 'zero is the neutral colour of the theme');
    assert.deepEqual(makeColourScale(-1, 1, 'dark').colourOf(0), [40, 40, 40]);
    assert.deepEqual(scale.colourOf(-2), [33, 102, 172], 'the most negative value is blue');
    assert.deepEqual(scale.colourOf(2), [178, 24, 43], 'the most positive value is red');
  });

  it('is viridis over [min, max] for non-negative data', () => {
    const scale = makeColourScale(0, 4, 'dark');
    assert.equal(scale.kind, 'sequential');
    assert.deepEqual([scale.lo, scale.hi], [0, 4]);
    assert.deepEqual(scale.colourOf(0), [68, 1, 84]);
    assert.deepEqual(scale.colourOf(4), [253, 231, 37]);
    assert.deepEqual(scale.colourOf(2), viridis(0.5).map(Math.round));
  });

  it('clamps values outside the range and shows NaN in grey', () => {
    const scale = makeColourScale(1, 3, 'light');
    assert.equal(scale.index(-10), 0);
    assert.equal(scale.index(10), 254);
    assert.equal(scale.index(Infinity), 254);
    assert.equal(scale.index(NaN), -1);
    assert.deepEqual(scale.colourOf(NaN), NAN_COLOUR);
  });

  it('uses one colour when all values are equal or the range is not finite', () => {
    for (const [lo, hi] of [
      [0, 0],
      [2, 2],
      [-3, -3],
      [-Infinity, Infinity],
    ] as const) {
      const scale = makeColourScale(lo, hi, 'light');
      assert.equal(scale.kind, 'constant');
      assert.deepEqual(scale.colourOf(lo), scale.colourOf(12345));
    }
  });

  it('maps monotonically: luminance of viridis rises, diverging ends differ in hue', () => {
    let previous = -1;
    for (let t = 0; t <= 1; t += 0.05) {
      const [r, g, b] = viridis(t);
      const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      assert.ok(y > previous, `viridis luminance rises at ${t}`);
      previous = y;
    }
    const [r0, , b0] = diverging(0, 'light');
    const [r1, , b1] = diverging(1, 'light');
    assert.ok(b0 > r0 && r1 > b1);
  });

  it('paints opaque RGBA pixels through the scale', () => {
    const scale = makeColourScale(0, 1, 'light');
    const rgba = new Uint8ClampedArray(12);
    paint([0, 1, NaN, 5], 1, 1, 3, scale, rgba);
    assert.deepEqual([...rgba], [253, 231, 37, 255, ...NAN_COLOUR, 255, 253, 231, 37, 255]);
  });

  it('labels values compactly', () => {
    assert.equal(formatValue(0), '0');
    assert.equal(formatValue(-0), '0');
    assert.equal(formatValue(0.98912), '0.989');
    assert.equal(formatValue(-0.8912), '−0.891');
    assert.equal(formatValue(1234.5), '1230');
    assert.equal(formatValue(123456), '1.23e+5');
    assert.equal(formatValue(0.000123), '1.23e−4');
    assert.equal(formatValue(NaN), 'NaN');
    assert.equal(formatValue(-Infinity), '−∞');
  });
});
