// Packed weights for the WebAssembly kernels, packed once per weight tensor and reused by every
// later call and run with the same tensor (the preview re-running a model, the benchmark's rounds).
//
// The cache is keyed by the weight's Tensor object in a WeakMap, so an entry lives exactly as long
// as the caller keeps the tensor: drop the model's tensors and the packed copies become garbage
// too (WasmGemm frees their WebAssembly memory when they are collected). Keying on the tensor, not
// its array, lets a tensor make its data on demand and not keep it (the preview's random weights,
// ../weights.ts `lazyParameter`): once packed, the packing is the only copy. Parameters are
// read-only for the engine (no kernel writes to one); a tensor changed in place after a run must
// be handed over as a new tensor, or the stale packing would be used.
//
// A `variant` string names how the array was packed (a transposed convolution packs the same
// shape differently from a convolution), and `deps` the other arrays the packing was computed
// from (a batch normalization folded into convolution weights); an entry with another variant or
// other deps is replaced.

import type { Tensor } from '../tensor';
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
  private readonly entries = new WeakMap<Tensor, Entry>();
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
  get<T extends Disposable>(weight: Tensor, variant: string, pack: () => T[], deps: readonly Float32Array[] = []): T[] {
    const found = this.entries.get(weight);
    if (
      found !== undefined &&
      found.variant === variant &&
      found.deps.length === deps.length &&
      found.deps.every((d, i) => d === deps[i])
    ) {
      return found.packed as T[];
    }
    for (const old of found?.packed ?? []) old.dispose();
    // Packing may grow the memory even inside a run's growth lock (its size is the weights',
    // which the runner does not reserve for): callers take their views after this returns.
    const packed = this.gemm.allowGrowth(pack);
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
