// The one window-geometry function for convolution and pooling. The analyzer, the MAC counter,
// the hover text, the diagnostics and the engine all read the record it returns; no other file
// re-derives an output size.

export type PaddingMode = 'same' | 'valid';

export interface WindowAxisInput {
  /** Input length along this axis (H or W). */
  input: number;
  kernel: number;
  stride: number;
  /** Symmetric padding, or 'same' / 'valid'. */
  padding: number | PaddingMode;
  dilation: number;
  /** PyTorch pooling's ceil_mode rule (only pooling has it). */
  ceilMode?: boolean;
}

/** Geometry of one axis of a sliding window. All lengths are in input elements. */
export interface WindowAxis {
  input: number;
  kernel: number;
  stride: number;
  dilation: number;
  /** D·(K − 1) + 1: the span one window covers. */
  effectiveKernel: number;
  padBefore: number;
  padAfter: number;
  /** How the padding was written, for the formula text. */
  paddingMode: 'explicit' | PaddingMode;
  ceilMode: boolean;
  /** H + padBefore + padAfter − D·(K − 1) − 1, the numerator of the output formula. */
  numerator: number;
  /** The output length (may be ≤ 0, which is an error the caller reports). */
  output: number;
  /** numerator / stride + 1 before rounding. */
  exactOutput: number;
  /** Whether numerator is divisible by stride. */
  exact: boolean;
  /** Pooling ceil_mode: the ceiling was taken and then reduced by PyTorch's last-window rule. */
  ceilAdjusted: boolean;
  /** Input rows/columns at the end that no window reads (dropped by flooring). */
  trailingUnread: number;
  /** All input rows/columns no window reads (stride gaps, dilation holes and the trailing ones). */
  totalUnread: number;
  /** Whether the padded input is shorter than one window. */
  kernelTooLarge: boolean;
}

/** Floor division that rounds toward −∞ (PyTorch's div_rtn). */
export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

export function computeWindowAxis(spec: WindowAxisInput): WindowAxis {
  const { input, kernel, stride, dilation } = spec;
  const ceilMode = spec.ceilMode ?? false;
  const effectiveKernel = dilation * (kernel - 1) + 1;
  let padBefore: number;
  let padAfter: number;
  let paddingMode: WindowAxis['paddingMode'];
  if (spec.padding === 'valid') {
    padBefore = 0;
    padAfter = 0;
    paddingMode = 'valid';
  } else if (spec.padding === 'same') {
    // Total padding so that ceil(H / S) windows fit; an odd element goes at the end. This is
    // PyTorch's rule (it allows 'same' only for stride 1, where the total is D·(K − 1)) and
    // TensorFlow's rule for any stride.
    const outSame = Math.ceil(input / stride);
    const total = Math.max((outSame - 1) * stride + effectiveKernel - input, 0);
    padBefore = Math.floor(total / 2);
    padAfter = total - padBefore;
    paddingMode = 'same';
  } else {
    padBefore = spec.padding;
    padAfter = spec.padding;
    paddingMode = 'explicit';
  }
  const padded = input + padBefore + padAfter;
  const numerator = padded - effectiveKernel;
  const exact = numerator % stride === 0;
  let output: number;
  let ceilAdjusted = false;
  if (ceilMode) {
    output = floorDiv(numerator + stride - 1, stride) + 1;
    // PyTorch: the last pooling window must start inside the input or the left padding.
    if ((output - 1) * stride >= input + padBefore) {
      output -= 1;
      ceilAdjusted = true;
    }
  } else {
    output = floorDiv(numerator, stride) + 1;
  }
  const kernelTooLarge = padded < effectiveKernel;
  const { trailing, total } = countUnread(input, padBefore, stride, dilation, kernel, output);
  return {
    input,
    kernel,
    stride,
    dilation,
    effectiveKernel,
    padBefore,
    padAfter,
    paddingMode,
    ceilMode,
    numerator,
    output,
    exactOutput: numerator / stride + 1,
    exact,
    ceilAdjusted,
    trailingUnread: trailing,
    totalUnread: total,
    kernelTooLarge,
  };
}

/** Counts input positions that no kernel tap reads. */
function countUnread(
  input: number,
  padBefore: number,
  stride: number,
  dilation: number,
  kernel: number,
  output: number,
): { trailing: number; total: number } {
  if (output <= 0 || input <= 0) return { trailing: Math.max(input, 0), total: Math.max(input, 0) };
  const lastRead = (output - 1) * stride + dilation * (kernel - 1) - padBefore;
  const trailing = Math.max(0, input - 1 - lastRead);
  // Dense windows (no gaps between taps or between windows) read everything up to lastRead.
  if (dilation === 1 && stride <= kernel) {
    const firstRead = -padBefore;
    return { trailing, total: trailing + Math.max(0, Math.min(firstRead, input)) };
  }
  if (input > 1 << 20) return { trailing, total: trailing };
  const read = new Uint8Array(input);
  for (let o = 0; o < output; o++) {
    const start = o * stride - padBefore;
    for (let k = 0; k < kernel; k++) {
      const i = start + k * dilation;
      if (i >= 0 && i < input) read[i] = 1;
    }
  }
  let total = 0;
  for (let i = 0; i < input; i++) total += read[i] === 0 ? 1 : 0;
  return { trailing, total };
}

/** The two-axis record every conv/pool consumer reads. */
export interface WindowGeometry {
  h: WindowAxis;
  w: WindowAxis;
}

export interface WindowGeometryInput {
  input: [number, number];
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number] | PaddingMode;
  dilation: [number, number];
  ceilMode?: boolean;
}

export function computeWindowGeometry(spec: WindowGeometryInput): WindowGeometry {
  const axis = (i: 0 | 1): WindowAxis =>
    computeWindowAxis({
      input: spec.input[i],
      kernel: spec.kernel[i],
      stride: spec.stride[i],
      padding: typeof spec.padding === 'string' ? spec.padding : spec.padding[i],
      dilation: spec.dilation[i],
      ceilMode: spec.ceilMode,
    });
  return { h: axis(0), w: axis(1) };
}

/**
 * Symmetric paddings P (0 ≤ P ≤ limit) for which (H + 2P − D(K−1) − 1) is divisible by S,
 * nearest to the written padding first. Used by the "make it exact" quick fix.
 */
export function exactPaddings(axis: WindowAxis, limit: number): number[] {
  const found: number[] = [];
  for (let p = 0; p <= limit; p++) {
    if ((axis.input + 2 * p - axis.effectiveKernel) % axis.stride === 0 && axis.input + 2 * p >= axis.effectiveKernel) {
      found.push(p);
    }
  }
  const written = axis.padBefore;
  return found.sort((a, b) => Math.abs(a - written) - Math.abs(b - written) || a - b);
}

/** Transposed convolution: out = (H − 1)·S − 2P + D(K − 1) + output_padding + 1. */
export interface TransposedAxis {
  input: number;
  kernel: number;
  stride: number;
  padding: number;
  dilation: number;
  outputPadding: number;
  output: number;
}

export function computeTransposedAxis(a: Omit<TransposedAxis, 'output'>): TransposedAxis {
  const output = (a.input - 1) * a.stride - 2 * a.padding + a.dilation * (a.kernel - 1) + a.outputPadding + 1;
  return { ...a, output };
}

/** PyTorch adaptive pooling window of output index i: [floor(i·H/O), ceil((i+1)·H/O)). */
export function adaptiveWindow(i: number, inputSize: number, outputSize: number): [number, number] {
  const start = Math.floor((i * inputSize) / outputSize);
  const end = Math.ceil(((i + 1) * inputSize) / outputSize);
  return [start, end];
}
