// Running an analyzed model: the runner, its weights (random, a .safetensors file, a state dict),
// the fusion plan, the memory budget, and the .npy / .safetensors formats. Pure TypeScript: runs
// in Node, in the webview and in a Web Worker.

export { checkMemoryBudget, DEFAULT_MEMORY_BUDGET_BYTES, estimateActivationMemory, formatBytes, type MemoryEstimate } from './memory';
export { encodeNpy, parseNpy } from './npy';
export {
  RunCancelledError,
  runModel,
  runModelAsync,
  type EngineBackend,
  type LayerTiming,
  type RunOptions,
  type RunResult,
} from './runner';
export { parseSafetensors, type SafetensorsFile } from './safetensors';
export { describeWeights, resolveWeights, type ResolvedWeights, type WeightSource } from './weights';
