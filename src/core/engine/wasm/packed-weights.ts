// Packed weights for the WebAssembly kernels, packed once per weight array and reused by every
// later call and run with the same array (the preview re-running a model, the benchmark's rounds).
//
// The cache is keyed by the weight's Float32Array in a WeakMap, so an entry lives exactly as long
// as the caller keeps the weights: drop the model's tensors and the packed copies become garbage
// too (WasmGemm frees their WebAssembly memory when they are collected). Parameters are read-only
// for the engine (no kernel writes to one); an array changed in place after a run must be handed
// over as a new array, or the stale packing would be used.
//
// A `variant` string names how the array was packed (a transposed convolution packs the same
// shape differently from a convolution), and `deps` the other arrays the packing was computed
// from (a batch normalization folded into convolution weights); an entry with another variant or
// other deps is replaced.

import type { WasmGemm } from './index';

interface Disposable {
  dispose(): void;
}

interface Entry {
  variant: string;
  deps: readonly Float32Array[];
  packed: readonly Disposable[];
}

export class PackedWeights {
  private readonly entries = new WeakMap<Float32Array, Entry>();
  /** Entries made by this cache, for `disposeAll` (only kept for run-local caches). */
  private readonly owned: Disposable[] | undefined;

  /**
   * `runLocal`: the cache of one run over weights nobody will pass again (random weights drawn
   * for that run); `disposeAll()` frees them when the run ends instead of waiting for the GC.
   */
  constructor(
    readonly gemm: WasmGemm,
    runLocal = false,
  ) {
    this.owned = runLocal ? [] : undefined;
  }

  /** The packing of `weight` (with `deps`) under `variant`, made by `pack` the first time. */
  get<T extends Disposable>(weight: Float32Array, variant: string, pack: () => T[], deps: readonly Float32Array[] = []): T[] {
    const found = this.entries.get(weight);
    if (found !== undefined && found.variant === variant && found.deps.length === deps.length && found.deps.every((d, i) => d === deps[i])) {
      return found.packed as T[];
    }
    for (const old of found?.packed ?? []) old.dispose();
    const packed = pack();
    this.entries.set(weight, { variant, deps: [...deps], packed });
    this.owned?.push(...packed);
    return packed;
  }

  /** Frees every packing this cache made (run-local caches only; the shared one relies on the GC). */
  disposeAll(): void {
    for (const p of this.owned ?? []) p.dispose();
    if (this.owned !== undefined) this.owned.length = 0;
  }
}

const shared = new WeakMap<WasmGemm, PackedWeights>();

/** The cache shared by every run on this WasmGemm instance (one per thread). */
export function sharedPackedWeights(gemm: WasmGemm): PackedWeights {
  let cache = shared.get(gemm);
  if (cache === undefined) {
    cache = new PackedWeights(gemm);
    shared.set(gemm, cache);
  }
  return cache;
}
