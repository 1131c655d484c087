// Messages between the preview's page (./page) and its Web Worker (./worker): the thread
// boundary. Both are this extension's code, so these are types only; the page still checks `type`
// before reading anything. What both threads import besides this (./stats.ts, ./samples.ts,
// ./normalize.ts, ./im2col-view.ts) sits beside it; nothing in ./page imports ./worker's code.

import type { WindowGeometry } from '../../src/core';
import type { FailureReason, WeightsPayload } from '../../src/shared/preview-messages';
import type { SerializedAnalysis } from '../../src/shared/model-transfer';
import type { Im2colShape } from './im2col-view';
import type { NormalizationId } from './normalize';
import type { SampleId } from './samples';
import type { StatsTable } from './stats';

/** A unit of a layer whose saliency (|dL/dx| on the input) the page asks for. */
export interface SaliencyTarget {
  layer: string;
  /** Channel (or, for [N, F] outputs, feature) index. */
  channel: number;
  /** [row, column] within the channel's plane; absent: the whole plane, summed. */
  pixel?: [number, number];
}

/** What the worker computed for a SaliencyTarget. */
export interface SaliencyResult {
  /** |dL/dx| for batch item 0 of the input: C × H × W values. */
  magnitude: Float32Array;
  shape: number[];
  /** L itself. */
  value: number;
  /** Largest |dL/dx|. */
  max: number;
}

export type InputSource =
  | { kind: 'sample'; id: SampleId }
  /** A decoded picture at its own size (the worker crops and resizes it to the input). */
  | { kind: 'image'; name: string; width: number; height: number; rgba: Uint8ClampedArray };

export interface LayerInfo {
  name: string;
  kind: string;
  /** The output shape in the engine's layout, NCHW (what the views index). */
  shape: number[];
  /** The output shape as the model's framework writes it (NHWC for TensorFlow.js): what labels show. */
  displayShape: number[];
  /** conv2d: the im2col matrix the view steps through. */
  im2col: Im2colShape | null;
  /** maxpool2d: the window geometry the argmax view draws. */
  pool: WindowGeometry | null;
  /** Whether saliency can be computed from this layer (every layer back to the input has a backward). */
  saliency: boolean;
}

export interface TensorData {
  name: string;
  /** The full shape (N included), NCHW; `data` holds batch item 0 only. */
  shape: number[];
  /** `shape` as the model's framework writes it (NHWC for TensorFlow.js). */
  displayShape: number[];
  data: Float32Array;
}

export type ToWorker =
  /** Page → worker: parse these weights once and keep them as `token` (a .safetensors file is parsed here). */
  | { type: 'weights'; token: number; weights: WeightsPayload }
  /** Page → worker: build the input, run every layer of the extension's analysis; a newer run cancels this one. */
  | {
      type: 'run';
      runId: number;
      /** As the extension sent it (the worker rebuilds the analysis; it never parses or analyzes). */
      analysis: SerializedAnalysis;
      input: InputSource;
      normalization: NormalizationId | 'auto';
      weightsToken: number;
      memoryBudgetBytes: number;
    }
  /** Page → worker: stop the run before its next layer. */
  | { type: 'cancel'; runId: number }
  /** Page → worker: a layer's output (and, for conv and max-pool, its input and argmax) of the last run. */
  | { type: 'detail'; runId: number; layer: string }
  /** Page → worker: |dL/dx| for a unit of a layer of the last run. */
  | { type: 'saliency'; runId: number; requestId: number; target: SaliencyTarget };

export type FromWorker =
  /** Worker → page: the model parsed; the layer list can be shown while it runs. */
  | {
      type: 'analyzed';
      runId: number;
      modelName: string | null;
      /** The layout the display shapes are in. */
      layout: 'NCHW' | 'NHWC';
      inputShape: number[];
      inputDisplayShape: number[];
      layers: LayerInfo[];
      inputLabel: string;
      weights: string;
    }
  /** Worker → page: what the worker does before the first layer (drawing weights can take seconds). */
  | { type: 'phase'; runId: number; text: string }
  /** Worker → page: layer `index` finished in `ms`. */
  /** Layers finished since the last progress message (at most one message per frame); `index` is the last one's. */
  | { type: 'progress'; runId: number; index: number; layers: { name: string; ms: number }[] }
  /** Worker → page: every layer ran; per-heatmap statistics of each output (batch item 0). */
  | {
      type: 'done';
      runId: number;
      /** Time in the layers (the engine's run). */
      totalMs: number;
      /** The kernels that ran conv2d, conv_transpose2d and linear. */
      backend: 'wasm' | 'ts';
      /**
       * Time before the first layer: the analysis (rebuilding the extension's, and checking the
       * weights fit), the input, the weights (random initialization or lookup).
       */
      phases: { analyzeMs: number; inputMs: number; weightsMs: number };
      layers: { name: string; ms: number; stats: StatsTable }[];
      inputStats: StatsTable;
      unusedTensors: string[];
    }
  | { type: 'failed'; runId: number; reason: FailureReason; message: string }
  | { type: 'detail'; runId: number; layer: string; output: TensorData; input?: TensorData; argmax?: Int32Array }
  | { type: 'detailFailed'; runId: number; layer: string; message: string }
  | { type: 'saliency'; runId: number; requestId: number; target: SaliencyTarget; result: SaliencyResult; ms: number }
  | { type: 'saliencyFailed'; runId: number; requestId: number; message: string };
