// The memory guard: before running, estimate the peak activation memory from the analysis
// (`activationBytes` of each layer) and refuse a run over the budget, quoting the figure. The
// estimate follows the runner's liveness rule: an output stays alive until its last consumer has
// run, or to the end when it is kept.

import type { ModelAnalysis } from '../analyze/analysis-types';
import { formatBytes as formatBigBytes } from '../format';
import { EngineError } from '../engine/tensor';

/** Byte counts in the wording the rest of ConvLens uses ("1.50 GiB"). */
export function formatBytes(bytes: number): string {
  return formatBigBytes(BigInt(Math.round(bytes)));
}

export const DEFAULT_MEMORY_BUDGET_BYTES = 2 ** 30;

export interface MemoryEstimate {
  /** Largest total of live activations at any layer, input included. */
  peakBytes: number;
  /** The layer running when the peak is reached. */
  peakLayer: string;
}

/** Index of the last layer reading each value ('input' included). */
export function lastUses(analysis: ModelAnalysis): Map<string, number> {
  const last = new Map<string, number>();
  analysis.layers.forEach((layer, i) => {
    for (const name of layer.inputs) last.set(name, i);
  });
  return last;
}

export function isKept(keep: 'all' | readonly string[], name: string): boolean {
  return keep === 'all' || keep.includes(name);
}

export function estimateActivationMemory(analysis: ModelAnalysis, keep: 'all' | readonly string[]): MemoryEstimate {
  const last = lastUses(analysis);
  const bytes = new Map<string, number>();
  const inputBytes = (analysis.input ?? []).reduce((a, b) => a * b, 1) * 4;
  bytes.set('input', inputBytes);
  let live = inputBytes;
  let peakBytes = live;
  let peakLayer = analysis.layers[0]?.name ?? 'input';
  analysis.layers.forEach((layer, i) => {
    const own = Number(layer.activationBytes);
    bytes.set(layer.name, own);
    live += own;
    if (live > peakBytes) {
      peakBytes = live;
      peakLayer = layer.name;
    }
    for (const name of new Set([...layer.inputs, layer.name])) {
      if ((last.get(name) ?? -1) <= i && !isKept(keep, name)) {
        live -= bytes.get(name) ?? 0;
        bytes.set(name, 0);
      }
    }
  });
  return { peakBytes, peakLayer };
}

export function checkMemoryBudget(estimate: MemoryEstimate, budgetBytes: number): void {
  if (estimate.peakBytes > budgetBytes) {
    throw new EngineError(
      `running this model needs about ${formatBytes(estimate.peakBytes)} of activations (peak at layer ${estimate.peakLayer}), ` +
        `over the ${formatBytes(budgetBytes)} budget; lower the batch size or input size, or raise the budget`,
    );
  }
}
