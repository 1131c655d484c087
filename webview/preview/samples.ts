// Built-in input images, drawn procedurally at any size so they suit any model input: a
// handwritten-style digit (white on black, as MNIST), stripes at three frequencies, a
// checkerboard, a disc, and a smooth landscape. Deterministic: the same id and size give the same
// pixels on every machine (no fonts, no Math.random). Pure: no DOM.

/** An RGB image, planar (R plane, G plane, B plane), values in [0, 1]. */
export interface RgbImage {
  width: number;
  height: number;
  data: Float32Array;
}

export type SampleId = 'digit' | 'stripes' | 'checkerboard' | 'disc' | 'natural';

export interface SampleInfo {
  id: SampleId;
  label: string;
  description: string;
}

export const SAMPLES: readonly SampleInfo[] = [
  { id: 'digit', label: 'Digit', description: 'a handwritten-style 2, white on black, in the central 5/7 of the image (as MNIST)' },
  {
    id: 'stripes',
    label: 'Stripes',
    description: 'vertical stripes at three frequencies: 2 cycles, 6 cycles and a 4-pixel period, top to bottom',
  },
  { id: 'checkerboard', label: 'Checkerboard', description: 'an 8 × 8 checkerboard' },
  { id: 'disc', label: 'Disc', description: 'an orange disc on a blue background, anti-aliased' },
  { id: 'natural', label: 'Landscape', description: 'a smooth natural-looking scene: sky, sun, hills, grass' },
];

export function isSampleId(value: unknown): value is SampleId {
  return typeof value === 'string' && SAMPLES.some((s) => s.id === value);
}

export function rgbImage(width: number, height: number): RgbImage {
  return { width, height, data: new Float32Array(3 * width * height) };
}

function setPixel(img: RgbImage, x: number, y: number, r: number, g: number, b: number): void {
  const plane = img.width * img.height;
  const i = y * img.width + x;
  img.data[i] = clamp01(r);
  img.data[plane + i] = clamp01(g);
  img.data[2 * plane + i] = clamp01(b);
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
}

export function generateSample(id: SampleId, width: number, height: number): RgbImage {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`sample size must be positive integers, got ${width} × ${height}`);
  }
  switch (id) {
    case 'digit':
      return digit(width, height);
    case 'stripes':
      return stripes(width, height);
    case 'checkerboard':
      return checkerboard(width, height);
    case 'disc':
      return disc(width, height);
    case 'natural':
      return landscape(width, height);
  }
}

// ---- digit: a "2" as a stroked path in a unit box, distance-based anti-aliasing -------------

type Point = [number, number];

function digitPath(): Point[] {
  const points: Point[] = [];
  // The bowl: an arc from the upper left over the top to the right, y down.
  const cx = 0.5,
    cy = 0.33,
    r = 0.27;
  for (let k = 0; k <= 24; k++) {
    const a = -Math.PI * 0.92 + (k / 24) * Math.PI * 1.17;
    points.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  points.push([0.2, 0.9], [0.84, 0.9]);
  return points;
}

function distanceToSegment(px: number, py: number, a: Point, b: Point): number {
  const dx = b[0] - a[0],
    dy = b[1] - a[1];
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : clamp01(((px - a[0]) * dx + (py - a[1]) * dy) / length2);
  const x = a[0] + t * dx - px,
    y = a[1] + t * dy - py;
  return Math.sqrt(x * x + y * y);
}

function digit(width: number, height: number): RgbImage {
  const img = rgbImage(width, height);
  const path = digitPath();
  // MNIST puts the digit in a 20 × 20 box centred in 28 × 28.
  const box = (20 / 28) * Math.min(width, height);
  const x0 = (width - box) / 2,
    y0 = (height - box) / 2;
  const half = 0.055; // half the stroke width, in box units
  const aa = 0.7 / box; // anti-aliasing ramp: under a pixel
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5 - x0) / box,
        v = (y + 0.5 - y0) / box;
      let d = Infinity;
      for (let k = 0; k + 1 < path.length; k++) d = Math.min(d, distanceToSegment(u, v, path[k]!, path[k + 1]!));
      const ink = 1 - smoothstep(half - aa, half + aa, d);
      setPixel(img, x, y, ink, ink, ink);
    }
  }
  return img;
}

// ---- stripes, checkerboard, disc ------------------------------------------------------------

/** Cycles across the width in each third of the image, top to bottom. */
export function stripeFrequencies(width: number): [number, number, number] {
  return [2, 6, Math.max(8, width / 4)];
}

function stripes(width: number, height: number): RgbImage {
  const img = rgbImage(width, height);
  const freqs = stripeFrequencies(width);
  for (let y = 0; y < height; y++) {
    const f = freqs[Math.min(2, Math.floor((3 * y) / height))]!;
    for (let x = 0; x < width; x++) {
      const v = 0.5 + 0.5 * Math.cos((2 * Math.PI * f * (x + 0.5)) / width);
      setPixel(img, x, y, v, v, v);
    }
  }
  return img;
}

function checkerboard(width: number, height: number): RgbImage {
  const img = rgbImage(width, height);
  const cellW = width / 8,
    cellH = height / 8;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = (Math.floor(x / cellW) + Math.floor(y / cellH)) % 2 === 0 ? 1 : 0;
      setPixel(img, x, y, v, v, v);
    }
  }
  return img;
}

function disc(width: number, height: number): RgbImage {
  const img = rgbImage(width, height);
  const cx = width / 2,
    cy = height / 2,
    r = 0.3 * Math.min(width, height);
  const inside: [number, number, number] = [0.98, 0.62, 0.12];
  const outside: [number, number, number] = [0.08, 0.16, 0.42];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      const t = 1 - smoothstep(r - 0.5, r + 0.5, d);
      setPixel(
        img,
        x,
        y,
        outside[0] + (inside[0] - outside[0]) * t,
        outside[1] + (inside[1] - outside[1]) * t,
        outside[2] + (inside[2] - outside[2]) * t,
      );
    }
  }
  return img;
}

// ---- landscape: smooth value noise from an integer hash (deterministic everywhere) ----------

function hash2(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(seed, 0x9e3779b9);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function valueNoise(x: number, y: number, seed: number): number {
  const xi = Math.floor(x),
    yi = Math.floor(y);
  const fx = x - xi,
    fy = y - yi;
  const sx = fx * fx * (3 - 2 * fx),
    sy = fy * fy * (3 - 2 * fy);
  const a = hash2(xi, yi, seed),
    b = hash2(xi + 1, yi, seed),
    c = hash2(xi, yi + 1, seed),
    d = hash2(xi + 1, yi + 1, seed);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

/** Fractal noise in [0, 1): four octaves of value noise. */
export function fbm(x: number, y: number, seed: number): number {
  let sum = 0,
    amplitude = 0.5,
    frequency = 1,
    norm = 0;
  for (let o = 0; o < 4; o++) {
    sum += amplitude * valueNoise(x * frequency, y * frequency, seed + o);
    norm += amplitude;
    amplitude /= 2;
    frequency *= 2;
  }
  return sum / norm;
}

function landscape(width: number, height: number): RgbImage {
  const img = rgbImage(width, height);
  const sunX = 0.72,
    sunY = 0.24,
    sunR = 0.07;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x + 0.5) / width,
        v = (y + 0.5) / height;
      // Sky: deep blue at the top to pale at the horizon, with soft clouds and the sun's glow.
      let r = 0.3 + 0.5 * v,
        g = 0.5 + 0.38 * v,
        b = 0.85 + 0.1 * v;
      const cloud = smoothstep(0.55, 0.8, fbm(u * 4, v * 8, 11)) * (1 - v);
      r += (1 - r) * cloud;
      g += (1 - g) * cloud;
      b += (1 - b) * cloud;
      const sun = Math.hypot((u - sunX) * (width / height), v - sunY);
      const glow = Math.exp(-((sun / (3 * sunR)) ** 2)) * 0.5 + (1 - smoothstep(sunR - 0.01, sunR + 0.01, sun));
      r += glow * 0.6;
      g += glow * 0.5;
      b += glow * 0.2;
      // Far hills (hazy blue-green), then the near hill (grass with texture).
      const far = 0.52 + 0.1 * (fbm(u * 3, 0.5, 3) - 0.5) * 2;
      if (v > far) {
        const haze = 0.55;
        r = 0.25 * (1 - haze) + 0.55 * haze;
        g = 0.45 * (1 - haze) + 0.65 * haze;
        b = 0.35 * (1 - haze) + 0.75 * haze;
      }
      const near = 0.68 + 0.08 * (fbm(u * 2, 1.5, 7) - 0.5) * 2;
      if (v > near) {
        const texture = fbm(u * 24, v * 24, 5);
        const depth = (v - near) / (1 - near);
        r = 0.18 + 0.15 * texture + 0.1 * depth;
        g = 0.42 + 0.25 * texture - 0.05 * depth;
        b = 0.12 + 0.08 * texture;
      }
      setPixel(img, x, y, r, g, b);
    }
  }
  return img;
}
