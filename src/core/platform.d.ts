// The platform the core may assume: what browsers, Web Workers and Node all provide, and nothing
// else (with ./platform-optional.d.ts and ./platform-wasm.d.ts). The core's tsconfig (./tsconfig.json) has no DOM and no
// Node types, so a `document`, a `process` or a Node module in src/core fails to compile; this
// file is left out of every other tsconfig, whose DOM, WebWorker or Node types declare the same
// names in full.

declare const performance: { now(): number };
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}

/** Browsers and workers (Node too, but the runner prefers setImmediate there). */
declare const MessageChannel:
  | (new () => {
      port1: { onmessage: ((event: unknown) => void) | null; postMessage(message: unknown): void };
      port2: { onmessage: ((event: unknown) => void) | null; postMessage(message: unknown): void };
    })
  | undefined;
