// Dense float32 tensors: a flat Float32Array in row-major (C) order plus its shape. Activations
// are NCHW, as in PyTorch. Kernels never mutate a tensor they receive, so two layers may share one
// buffer (flatten and dropout return their input's data).

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Thrown for anything the engine refuses to run; the message is meant for the user. */
export class EngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

export function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function tensor(shape: readonly number[], data?: Float32Array): Tensor {
  const size = shapeSize(shape);
  if (data !== undefined && data.length !== size) {
    throw new EngineError(`tensor data has ${data.length} elements but shape ${formatShape(shape)} needs ${size}`);
  }
  return { shape: [...shape], data: data ?? new Float32Array(size) };
}

export function zerosLike(t: Tensor): Tensor {
  return tensor(t.shape);
}

/** Row-major transpose of a rows × cols matrix stored at `src`. */
export function transpose(src: Float32Array, rows: number, cols: number, dst = new Float32Array(rows * cols)): Float32Array {
  // Tiles keep both the reads and the writes within a few cache lines.
  const tile = 32;
  for (let i0 = 0; i0 < rows; i0 += tile) {
    const i1 = Math.min(i0 + tile, rows);
    for (let j0 = 0; j0 < cols; j0 += tile) {
      const j1 = Math.min(j0 + tile, cols);
      for (let i = i0; i < i1; i++) {
        const row = i * cols;
        for (let j = j0; j < j1; j++) dst[j * rows + i] = src[row + j]!;
      }
    }
  }
  return dst;
}

/** The four dimensions of an NCHW tensor, or an error naming who needed them. */
export function nchw(t: Tensor, who: string): [number, number, number, number] {
  if (t.shape.length !== 4) throw new EngineError(`${who} expects an NCHW input, got shape ${formatShape(t.shape)}`);
  return t.shape as unknown as [number, number, number, number];
}
