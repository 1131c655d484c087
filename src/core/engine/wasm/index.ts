// Loads the WebAssembly SIMD GEMM (one instance per realm) and re-exports its API (./api.ts).

import type { WasmGemm } from './api';
import { embeddedGemmWasm } from './embedded';
import { WasmGemmInstance } from './wasm-gemm';

export * from './api';

/**
 * Instantiates the module from `bytes` (synchronous compile: fine in Node and in workers; the
 * module is about 20 KB). Returns the reason instead when it cannot.
 */
export function createWasmGemm(bytes: BufferSource): WasmGemm | { unavailable: string } {
  if (typeof WebAssembly !== 'object') return { unavailable: 'WebAssembly is not available here' };
  try {
    return new WasmGemmInstance(new WebAssembly.Module(bytes));
  } catch (e) {
    return { unavailable: `the GEMM module did not load: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** A new instance of the embedded module, with a memory of its own, or why there is none. */
export function createEmbeddedWasmGemm(): WasmGemm | { unavailable: string } {
  const embedded = embeddedGemmWasm();
  return 'missing' in embedded ? { unavailable: embedded.missing } : createWasmGemm(embedded.bytes);
}

let shared: WasmGemm | { unavailable: string } | undefined;

function loadShared(): WasmGemm | { unavailable: string } {
  shared ??= createEmbeddedWasmGemm();
  return shared;
}

/**
 * The WebAssembly GEMM of this thread (one instance per realm: a worker gets its own), or
 * undefined when the module was not built or cannot run here; then use the TypeScript GEMM.
 */
export function loadWasmGemm(): WasmGemm | undefined {
  const loaded = loadShared();
  return 'unavailable' in loaded ? undefined : loaded;
}

/** Why `loadWasmGemm()` returns undefined (for logs and the test's message), or undefined. */
export function wasmGemmUnavailableReason(): string | undefined {
  const loaded = loadShared();
  return 'unavailable' in loaded ? loaded.unavailable : undefined;
}
