// The engine's primitives: tensors, the GEMMs, im2col, window gathers, the random generator and
// the WebAssembly module. Pure TypeScript: runs in Node, in the webview and in a Web Worker. The
// layer kernels live with their kinds (../kinds/), the runner in ../run/.

export { gemmBlocked, gemmNaive, type Gemm } from './gemm';
export { col2im, im2col } from './im2col';
export { createRandom, fillUniform, type Random } from './rng';
export { EngineError, formatShape, shapeSize, tensor, type Tensor } from './tensor';
