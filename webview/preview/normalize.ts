// From an RGB image to the model's input tensor: crop to the input's aspect ratio and resize
// (area averaging, so a large photo does not alias), convert to the model's channel count, apply a
// normalization preset, and repeat over the batch. Pure: no DOM (decoding a PNG/JPEG into RGBA is
// the webview's part).

import { rgbImage, type RgbImage } from './samples';

export type NormalizationId = 'imagenet' | 'unit';

export interface Normalization {
  id: NormalizationId;
  label: string;
  /** Per RGB channel; a 1-channel model uses the mean of the three. */
  mean: [number, number, number];
  std: [number, number, number];
}

export const NORMALIZATIONS: Record<NormalizationId, Normalization> = {
  imagenet: { id: 'imagenet', label: 'ImageNet mean/std', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  unit: { id: 'unit', label: '[0, 1]', mean: [0, 0, 0], std: [1, 1, 1] },
};

export function isNormalizationId(value: unknown): value is NormalizationId {
  return value === 'imagenet' || value === 'unit';
}

/** The preset a model most likely expects when the user has not chosen: ImageNet for RGB. */
export function defaultNormalization(channels: number): NormalizationId {
  return channels === 3 ? 'imagenet' : 'unit';
}

/** ITU-R BT.601 luma, as PIL's convert('L') and torchvision's rgb_to_grayscale. */
export const LUMA: [number, number, number] = [0.299, 0.587, 0.114];

/** The centred source rectangle with the destination's aspect ratio ("cover" crop). */
export function coverCrop(
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
): { x: number; y: number; width: number; height: number } {
  const scale = Math.min(srcWidth / dstWidth, srcHeight / dstHeight);
  const width = dstWidth * scale,
    height = dstHeight * scale;
  return { x: (srcWidth - width) / 2, y: (srcHeight - height) / 2, width, height };
}

/** RGBA bytes (as ImageData holds them) to an RgbImage in [0, 1]; alpha is composited on black. */
export function rgbaToImage(rgba: ArrayLike<number>, width: number, height: number): RgbImage {
  if (rgba.length !== 4 * width * height)
    throw new RangeError(`RGBA data has ${rgba.length} bytes, ${width} × ${height} needs ${4 * width * height}`);
  const img = rgbImage(width, height);
  const plane = width * height;
  for (let i = 0; i < plane; i++) {
    const alpha = rgba[4 * i + 3]! / 255;
    img.data[i] = (rgba[4 * i]! / 255) * alpha;
    img.data[plane + i] = (rgba[4 * i + 1]! / 255) * alpha;
    img.data[2 * plane + i] = (rgba[4 * i + 2]! / 255) * alpha;
  }
  return img;
}

/** Weights of source cells [lo, hi) covering destination cell i of n, over a source span. */
function areaWeights(start: number, span: number, n: number, size: number, i: number): { lo: number; weights: number[] } {
  const a = start + (span * i) / n,
    b = start + (span * (i + 1)) / n;
  const lo = Math.max(0, Math.floor(a)),
    hi = Math.min(size, Math.ceil(b));
  const weights: number[] = [];
  for (let s = lo; s < hi; s++) weights.push(Math.max(0, Math.min(b, s + 1) - Math.max(a, s)));
  const total = weights.reduce((x, y) => x + y, 0);
  return { lo, weights: total > 0 ? weights.map((w) => w / total) : weights };
}

/**
 * Cover-crops and resizes to width × height by area averaging (exact box filter); when enlarging,
 * each destination pixel takes the source pixel under its centre.
 */
export function resizeImage(src: RgbImage, width: number, height: number): RgbImage {
  if (src.width === width && src.height === height) return src;
  const crop = coverCrop(src.width, src.height, width, height);
  const dst = rgbImage(width, height);
  const axis = (start: number, span: number, n: number, size: number): { lo: number; weights: number[] }[] =>
    Array.from({ length: n }, (_, i) => {
      if (span / n >= 1) return areaWeights(start, span, n, size, i);
      const centre = Math.min(size - 1, Math.max(0, Math.floor(start + (span * (i + 0.5)) / n)));
      return { lo: centre, weights: [1] };
    });
  const xs = axis(crop.x, crop.width, width, src.width);
  const ys = axis(crop.y, crop.height, height, src.height);
  const srcPlane = src.width * src.height,
    dstPlane = width * height;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < height; y++) {
      const wy = ys[y]!;
      for (let x = 0; x < width; x++) {
        const wx = xs[x]!;
        let sum = 0;
        for (let j = 0; j < wy.weights.length; j++) {
          const row = c * srcPlane + (wy.lo + j) * src.width + wx.lo;
          let rowSum = 0;
          for (let k = 0; k < wx.weights.length; k++) rowSum += src.data[row + k]! * wx.weights[k]!;
          sum += rowSum * wy.weights[j]!;
        }
        dst.data[c * dstPlane + y * width + x] = sum;
      }
    }
  }
  return dst;
}

/**
 * The model input [N, C, H, W] from an image already H × W: C = 3 takes RGB, any other C takes
 * the luma in every channel; each channel is (v − mean) / std; batch items are copies.
 */
export function imageToInput(img: RgbImage, shape: readonly number[], normalization: Normalization): Float32Array {
  const [n = 1, c = 1, h = 1, w = 1] = shape;
  if (shape.length !== 4) throw new RangeError(`the preview needs an image input [N, C, H, W], the model's is [${shape.join(', ')}]`);
  if (img.width !== w || img.height !== h) throw new RangeError(`image is ${img.width} × ${img.height}, the input needs ${w} × ${h}`);
  const plane = h * w;
  const out = new Float32Array(n * c * plane);
  const meanGrey = (normalization.mean[0] + normalization.mean[1] + normalization.mean[2]) / 3;
  const stdGrey = (normalization.std[0] + normalization.std[1] + normalization.std[2]) / 3;
  for (let ch = 0; ch < c; ch++) {
    const mean = c === 3 ? normalization.mean[ch as 0 | 1 | 2] : meanGrey;
    const std = c === 3 ? normalization.std[ch as 0 | 1 | 2] : stdGrey;
    const dst = ch * plane;
    for (let i = 0; i < plane; i++) {
      const v =
        c === 3 ? img.data[ch * plane + i]! : LUMA[0] * img.data[i]! + LUMA[1] * img.data[plane + i]! + LUMA[2] * img.data[2 * plane + i]!;
      out[dst + i] = (v - mean) / std;
    }
  }
  for (let b = 1; b < n; b++) out.copyWithin(b * c * plane, 0, c * plane);
  return out;
}
