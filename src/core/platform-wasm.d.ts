// The part of WebAssembly's JavaScript API the engine uses (../engine/wasm/). The DOM and
// WebWorker libs declare it; Node's types do not, so the core's and the host's tsconfigs include
// this file.

type BufferSource = ArrayBufferView | ArrayBuffer;

declare namespace WebAssembly {
  type ExportValue = unknown;
  type Exports = Record<string, ExportValue>;
  class Module {
    constructor(bytes: BufferSource);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Exports;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
}
