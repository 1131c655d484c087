// Dense float32 tensors: a flat Float32Array in row-major (C) order plus its shape. Activations
// are NCHW, as in PyTorch. Kernels never mutate a tensor they receive, so two layers may share one
// buffer (flatten and dropout return their input's data).
//
// Where new tensors live. `tensor(shape)` allocates a JavaScript array, unless a storage is in
// scope (`withTensorStorage`): the runner's WebAssembly backend puts one there around each layer,
// so every output a kernel makes is allocated in the module's memory and the next layer's kernels
// read it in place, with no copy (see wasm/arena.ts). Such tensors re-make their `data` view when
// the memory has grown; a view taken from `data` is valid until the next allocation, so kernels
// allocate their outputs before they read their inputs' data or the runner reserves the layer's
// memory first (it does).

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

/** Where `tensor()` allocates while a storage is in scope. */
export interface TensorStorage {
  /** A tensor of this shape, zero-filled when `zeroed`. */
  allocate(shape: readonly number[], zeroed: boolean): Tensor;
  /** A tensor over `data` when `data` is a view into this storage (it then follows the storage), else undefined. */
  wrap(shape: readonly number[], data: Float32Array): Tensor | undefined;
}

let storage: TensorStorage | undefined;

/** Runs `fn` with `tensor()` allocating from `s` (synchronous code only: the scope ends when fn returns). */
export function withTensorStorage<T>(s: TensorStorage, fn: () => T): T {
  const previous = storage;
  storage = s;
  try {
    return fn();
  } finally {
    storage = previous;
  }
}

export function tensor(shape: readonly number[], data?: Float32Array): Tensor {
  const size = shapeSize(shape);
  if (data !== undefined && data.length !== size) {
    throw new EngineError(`tensor data has ${data.length} elements but shape ${formatShape(shape)} needs ${size}`);
  }
  if (storage !== undefined)
    return data === undefined ? storage.allocate(shape, true) : (storage.wrap(shape, data) ?? { shape: [...shape], data });
  return { shape: [...shape], data: data ?? new Float32Array(size) };
}

/** A tensor whose every element the caller writes before anyone reads it: not zero-filled in a storage. */
export function emptyTensor(shape: readonly number[]): Tensor {
  return storage !== undefined ? storage.allocate(shape, false) : tensor(shape);
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
