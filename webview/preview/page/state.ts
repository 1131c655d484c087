// What VS Code keeps for a hidden or reloaded preview panel (PersistedState), read back field by
// field, and the preview page's typed host (../../shared/host.ts).

import type { Host as SharedHost } from '../../shared/host';
import type { FromWebviewMessage, PreviewView } from '../../../src/shared/preview-messages';
import type { NormalizationId } from '../normalize';
import { isNormalizationId } from '../normalize';
import { isSampleId, type SampleId } from '../samples';

export interface PersistedState {
  input: 'sample' | 'image';
  sample: SampleId;
  normalization: NormalizationId | 'auto';
  /** The layer shown (or 'input'). */
  selected: string | null;
  view: PreviewView;
  seed: number;
  /** Longest side of a heatmap, CSS pixels. */
  size: number;
}

export const DEFAULT_STATE: PersistedState = {
  input: 'sample',
  sample: 'digit',
  normalization: 'auto',
  selected: null,
  view: 'activations',
  seed: 0,
  size: 80,
};

/** Reads back a saved state field by field: anything unexpected falls back to the default. */
export function restoreState(saved: unknown): PersistedState {
  const s = (typeof saved === 'object' && saved !== null ? saved : {}) as Record<string, unknown>;
  const views: PreviewView[] = ['activations', 'im2col', 'argmax', 'gradient'];
  return {
    input: s['input'] === 'image' ? 'image' : 'sample',
    sample: isSampleId(s['sample']) ? s['sample'] : DEFAULT_STATE.sample,
    normalization: s['normalization'] === 'auto' || isNormalizationId(s['normalization']) ? s['normalization'] : 'auto',
    selected: typeof s['selected'] === 'string' ? s['selected'] : null,
    view: views.includes(s['view'] as PreviewView) ? (s['view'] as PreviewView) : 'activations',
    seed: typeof s['seed'] === 'number' && Number.isInteger(s['seed']) && s['seed'] >= 0 ? s['seed'] : 0,
    size: typeof s['size'] === 'number' && s['size'] >= 24 && s['size'] <= 256 ? s['size'] : DEFAULT_STATE.size,
  };
}

/** The extension, as the preview page talks to it. */
export type Host = SharedHost<FromWebviewMessage, PersistedState>;
