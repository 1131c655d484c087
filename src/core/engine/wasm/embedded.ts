// Finds the GEMM's WebAssembly bytes, which scripts/build-wasm.sh writes (base64) into
// gemm-wasm.generated.ts. That file is git-ignored and absent until `npm run build:wasm` runs, so
// it is loaded with a `require` inside `try`, not an `import`:
//   - tsc type-checks `require(...)` calls without resolving them, so the project compiles with
//     or without the generated file;
//   - esbuild inlines the module into every bundle (Node CJS, browser IIFE, ESM) when the file
//     exists, and when it does not, leaves a call that throws at run time, caught here;
//   - the tsc-compiled tests load out/.../gemm-wasm.generated.js the same way.
// Without the bytes the engine keeps its TypeScript GEMM (see index.ts).

export interface EmbeddedWasm {
  bytes: Uint8Array<ArrayBuffer>;
  /** SHA-256 of the gemm.c the bytes were compiled from. */
  sourceSha256: string;
}

interface GeneratedModule {
  gemmWasmBase64?: unknown;
  gemmWasmSourceSha256?: unknown;
}

/** The embedded module, or the reason there is none. */
export function embeddedGemmWasm(): EmbeddedWasm | { missing: string } {
  let generated: GeneratedModule;
  try {
    generated = require('./gemm-wasm.generated') as GeneratedModule;
  } catch {
    return { missing: 'the module was not built (src/core/engine/wasm/gemm-wasm.generated.ts is missing)' };
  }
  const { gemmWasmBase64, gemmWasmSourceSha256 } = generated;
  if (typeof gemmWasmBase64 !== 'string' || typeof gemmWasmSourceSha256 !== 'string') {
    return { missing: 'gemm-wasm.generated.ts has no gemmWasmBase64 / gemmWasmSourceSha256 string' };
  }
  return { bytes: decodeBase64(gemmWasmBase64), sourceSha256: gemmWasmSourceSha256 };
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with or without padding) to bytes; no dependency on atob or Buffer. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const lookup = new Int16Array(128).fill(-1);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) lookup[BASE64_ALPHABET.charCodeAt(i)] = i;
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? lookup[code]! : -1;
    if (digit < 0) throw new Error(`invalid base64 character ${JSON.stringify(text[i])} at ${i}`);
    value = ((value << 6) | digit) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
