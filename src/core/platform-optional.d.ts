// What the core uses that only some platforms declare: the tsconfigs without Node types (the
// core's, the webview page's and the worker's) include this file; Node's types declare both.

/** Node only: the runner checks for it before use. */
declare const setImmediate: ((callback: () => void) => unknown) | undefined;

/** The one module the core loads lazily: the generated WebAssembly module, bundled by esbuild. */
declare function require(id: './gemm-wasm.generated'): unknown;
