// Finds the GEMM's WebAssembly bytes, which scripts/build-wasm.mjs writes (base64) into
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
  /** SHA-256 of each source file (gemm.c and its neighbours) the bytes were compiled from. */
  sources: Readonly<Record<string, string>>;
  /** The compiler that built them, e.g. `@yowasp/clang 21.1.4-3`. */
  compiler: string;
}

interface GeneratedModule {
  gemmWasmBase64?: unknown;
  gemmWasmSources?: unknown;
  gemmWasmCompiler?: unknown;
}

/** The embedded module, or the reason there is none. */
export function embeddedGemmWasm(): EmbeddedWasm | { missing: string } {
  let generated: GeneratedModule;
  try {
    generated = require('./gemm-wasm.generated') as GeneratedModule;
  } catch {
    return { missing: 'the module was not built (src/core/engine/wasm/gemm-wasm.generated.ts is missing)' };
  }
  const { gemmWasmBase64, gemmWasmSources, gemmWasmCompiler } = generated;
  if (
    typeof gemmWasmBase64 !== 'string' ||
    typeof gemmWasmCompiler !== 'string' ||
    typeof gemmWasmSources !== 'object' ||
    gemmWasmSources === null
  ) {
    return { missing: 'gemm-wasm.generated.ts is from an older build script: run `npm run build:wasm`' };
  }
  return {
    bytes: decodeBase64(gemmWasmBase64),
    sources: gemmWasmSources as Record<string, string>,
    compiler: gemmWasmCompiler,
  };
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
