// The webview side of the VS Code API, typed: messages to the extension are FromWebviewMessage,
// and the state VS Code keeps for a hidden or reloaded panel is PersistedState.

import type { FromWebviewMessage, PreviewView } from '../../src/shared/preview-messages';
import type { NormalizationId } from './normalize';
import { isNormalizationId } from './normalize';
import { isSampleId, type SampleId } from './samples';

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

export const DEFAULT_STATE: PersistedState = { input: 'sample', sample: 'digit', normalization: 'auto', selected: null, view: 'activations', seed: 0, size: 80 };

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

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

export interface Host {
  post(message: FromWebviewMessage): void;
  state: PersistedState;
  save(): void;
}

export function connectHost(): Host {
  const api = acquireVsCodeApi();
  const host: Host = {
    post: (message) => api.postMessage(message),
    state: restoreState(api.getState()),
    save: () => api.setState(host.state),
  };
  return host;
}
