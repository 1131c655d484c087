// Activations in the WebAssembly module's memory. While the runner's WebAssembly backend runs a
// layer, `tensor()` allocates here (tensor.ts, `withTensorStorage`), so each output is made where
// the next layer's kernels read it: conv2d, pooling and the GEMM take their inputs in place, and
// no layer's input or output is copied into the module and back (the staging the kernels do for
// JavaScript arrays). Memory during a run is then the live activations, the packed weights and
// the GEMM's one workspace (the im2col panel buffer).
//
// A tensor here reads its `data` through the block: the view is re-made when the memory has grown
// (growth replaces the ArrayBuffer). A view taken from `data` stays valid while nothing grows the
// memory; the runner reserves each layer's memory first and forbids growth while it runs.
//
// Blocks are freed by `sweep`, given the tensors still in use (the runner's live values): a
// layer's temporaries and the outputs whose last reader has run go back to the heap after each
// layer. `release` frees everything still held.

import { shapeSize, type Tensor, type TensorStorage } from '../tensor';
import type { WasmFloat32Buffer, WasmGemm } from './index';

/** The block under each arena tensor. */
const blockOf = new WeakMap<Tensor, WasmFloat32Buffer>();

function arenaTensor(shape: readonly number[], block: WasmFloat32Buffer, offset: number, length: number): Tensor {
  let view: Float32Array | undefined;
  let viewOf: Float32Array | undefined;
  const t: Tensor = {
    shape: [...shape],
    get data(): Float32Array {
      const whole = block.view();
      // Offset views (a reshape of part of a block) are re-made only when the block's view is.
      if (offset === 0 && length === block.length) return whole;
      if (viewOf !== whole) {
        view = whole.subarray(offset, offset + length);
        viewOf = whole;
      }
      return view!;
    },
  };
  blockOf.set(t, block);
  return t;
}

export class WasmTensorArena implements TensorStorage {
  /** Blocks allocated by this arena and not yet freed. */
  private readonly blocks = new Set<WasmFloat32Buffer>();

  constructor(readonly gemm: WasmGemm) {}

  allocate(shape: readonly number[], zeroed: boolean): Tensor {
    const length = shapeSize(shape);
    const block = this.gemm.allocate(length, { zeroed });
    this.blocks.add(block);
    return arenaTensor(shape, block, 0, length);
  }

  wrap(shape: readonly number[], data: Float32Array): Tensor | undefined {
    if (data.buffer !== this.gemm.memoryBuffer()) return undefined;
    for (const block of this.blocks) {
      const offset = (data.byteOffset - block.byteOffset) / 4;
      if (offset >= 0 && offset + data.length <= block.length) return arenaTensor(shape, block, offset, data.length);
    }
    return undefined;
  }

  /** A copy of `data` in the arena (the model input, so the first layer reads it in place). */
  copyIn(shape: readonly number[], data: Float32Array): Tensor {
    const t = this.allocate(shape, false);
    t.data.set(data);
    return t;
  }

  /** Frees every block that none of `live` uses. */
  sweep(live: Iterable<Tensor>): void {
    const used = new Set<WasmFloat32Buffer>();
    for (const t of live) {
      const block = blockOf.get(t);
      if (block !== undefined) used.add(block);
    }
    for (const block of this.blocks) {
      if (!used.has(block)) {
        block.dispose();
        this.blocks.delete(block);
      }
    }
  }

  /** Frees every block; tensors of this arena must not be read afterwards. */
  release(): void {
    for (const block of this.blocks) block.dispose();
    this.blocks.clear();
  }
}
