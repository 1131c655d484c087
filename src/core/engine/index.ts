// The im2col engine's public surface. Pure TypeScript: runs in Node, in the webview and in a Web Worker.

export { gemmBlocked, gemmNaive, type Gemm } from './gemm';
export { col2im, im2col } from './im2col';
export { KERNELS, kernelFor, type BackwardResult, type ForwardResult, type KernelContext, type LayerKernel, type ParamSpec, type Params } from '../kinds/kernels';
export { checkMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, estimateActivationMemory, formatBytes, type MemoryEstimate } from '../run/memory';
export { encodeNpy, parseNpy } from '../run/npy';
export { createRandom, fillUniform, type Random } from './rng';
export { RunCancelledError, runModel, runModelAsync, type EngineBackend, type LayerTiming, type RunOptions, type RunResult } from '../run/runner';
export { parseSafetensors, type SafetensorsFile } from '../run/safetensors';
export { EngineError, formatShape, shapeSize, tensor, type Tensor } from './tensor';
export { describeWeights, resolveWeights, type ResolvedWeights, type WeightSource } from '../run/weights';
