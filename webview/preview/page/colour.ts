// The colour scale of heatmaps, legends and saliency maps. Signed data gets a diverging scale
// symmetric about 0 (so 0 is always the neutral colour and the sign reads at a glance); data that
// is never negative gets viridis (perceptually uniform, readable in grey and by most colour-blind
// readers). The neutral colour follows the theme so a dark panel is not lit up by empty maps.
// Pure: no DOM.

export type Rgb = readonly [number, number, number];

export type ThemeKind = 'light' | 'dark';

export interface ColourScale {
  kind: 'sequential' | 'diverging' | 'constant';
  /** The values the ends of the scale stand for. */
  lo: number;
  hi: number;
  /** LUT_SIZE RGB triples: entry i is the colour of lo + (hi − lo)·i/(LUT_SIZE − 1). */
  lut: Uint8ClampedArray;
  /** LUT index of a value (clamped); −1 for NaN. */
  index(value: number): number;
  colourOf(value: number): Rgb;
}

/** viridis at 9 evenly spaced stops (matplotlib's table). */
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [71, 45, 123],
  [59, 82, 139],
  [44, 114, 142],
  [33, 145, 140],
  [40, 174, 128],
  [94, 201, 98],
  [173, 220, 48],
  [253, 231, 37],
];

/** Odd, so that the middle entry is exactly the middle of the range (0 on a diverging scale). */
export const LUT_SIZE = 255;
const LAST = LUT_SIZE - 1;

const BLUE: Rgb = [33, 102, 172];
const MID_BLUE: Rgb = [103, 169, 207];
const MID_RED: Rgb = [239, 138, 98];
const RED: Rgb = [178, 24, 43];
const NEUTRAL: Record<ThemeKind, Rgb> = { light: [247, 247, 247], dark: [40, 40, 40] };
/** Shown for NaN: a grey that belongs to neither scale. */
export const NAN_COLOUR: Rgb = [128, 128, 128];

function lerp(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Colour at t ∈ [0, 1] along evenly spaced stops. */
export function interpolateStops(stops: readonly Rgb[], t: number): Rgb {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  return lerp(stops[i]!, stops[i + 1]!, x - i);
}

export function viridis(t: number): Rgb {
  return interpolateStops(VIRIDIS, t);
}

export function diverging(t: number, theme: ThemeKind): Rgb {
  return interpolateStops([BLUE, MID_BLUE, NEUTRAL[theme], MID_RED, RED], t);
}

function buildLut(colour: (t: number) => Rgb): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = colour(i / LAST);
    lut[3 * i] = Math.round(r);
    lut[3 * i + 1] = Math.round(g);
    lut[3 * i + 2] = Math.round(b);
  }
  return lut;
}

/**
 * The scale for data in [min, max]: diverging over [−m, m] with m = max(|min|, |max|) when any
 * value is negative, viridis over [min, max] otherwise, a single colour when min = max.
 * Non-finite bounds are ignored (pass the finite range).
 */
export function makeColourScale(min: number, max: number, theme: ThemeKind): ColourScale {
  let kind: ColourScale['kind'];
  let lo: number, hi: number, lut: Uint8ClampedArray;
  if (!(Number.isFinite(min) && Number.isFinite(max)) || min === max) {
    kind = 'constant';
    lo = Number.isFinite(min) ? min : 0;
    hi = lo;
    const [r, g, b] = lo < 0 ? diverging(0.25, theme) : lo > 0 ? viridis(0.5) : NEUTRAL[theme];
    lut = buildLut(() => [r, g, b]);
  } else if (min < 0) {
    kind = 'diverging';
    const m = Math.max(Math.abs(min), Math.abs(max));
    lo = -m;
    hi = m;
    lut = buildLut((t) => diverging(t, theme));
  } else {
    kind = 'sequential';
    lo = min;
    hi = max;
    lut = buildLut(viridis);
  }
  const span = hi - lo;
  const index = (value: number): number => {
    if (Number.isNaN(value)) return -1;
    if (span === 0) return 0;
    const t = (value - lo) / span;
    return t <= 0 ? 0 : t >= 1 ? LAST : Math.round(t * LAST);
  };
  const colourOf = (value: number): Rgb => {
    const i = index(value);
    return i < 0 ? NAN_COLOUR : [lut[3 * i]!, lut[3 * i + 1]!, lut[3 * i + 2]!];
  };
  return { kind, lo, hi, lut, index, colourOf };
}

/**
 * Writes `height × width` values of `data` (from `offset`, row-major) as opaque RGBA pixels into
 * `rgba` (length 4·height·width), through the scale.
 */
export function paint(
  data: ArrayLike<number>,
  offset: number,
  height: number,
  width: number,
  scale: ColourScale,
  rgba: Uint8ClampedArray,
): void {
  const { lut } = scale;
  for (let i = 0; i < height * width; i++) {
    const k = scale.index(data[offset + i]!);
    const o = 4 * i;
    if (k < 0) {
      rgba[o] = NAN_COLOUR[0];
      rgba[o + 1] = NAN_COLOUR[1];
      rgba[o + 2] = NAN_COLOUR[2];
    } else {
      rgba[o] = lut[3 * k]!;
      rgba[o + 1] = lut[3 * k + 1]!;
      rgba[o + 2] = lut[3 * k + 2]!;
    }
    rgba[o + 3] = 255;
  }
}

/** A compact label for a value on a legend or in a table: 3 significant digits, no "-0". */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const text = abs >= 1e4 || abs < 1e-3 ? value.toExponential(2) : String(Number(value.toPrecision(3)));
  return text.replace('-', '−');
}
