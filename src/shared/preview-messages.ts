// The messages between the extension and the "Preview Layer Outputs" webview: one discriminated
// union per direction, keyed by `type`, and a runtime validator for each direction. Both sides
// import this module; neither trusts what arrives (the webview validates every message from the
// extension, the extension every message from the webview) and malformed messages are rejected
// and logged, never acted on.
//
// Pure TypeScript: no vscode, no DOM, no Node.

import type { SerializedLayerSpec, SerializedModelSpec } from '../core/frontends/serialize-spec';
import type { Framework, InputSpec, LayerRef, ParamEntry, ParamInsertion, Position, Range } from '../core/types';
import { analysisValidator, type SerializedAnalysis } from './model-transfer';
import {
  array,
  boolean,
  bytes,
  count,
  finite,
  literal,
  MessageError,
  nullable,
  number,
  object,
  optional,
  pair,
  plainData,
  runValidator,
  string,
  tagged,
  type Validated,
  type Validator,
} from './validate';

// The combinators are re-exported for the modules and tests that import them from here.
export * from './validate';

// ---------------------------------------------------------------------------------------------
// Payloads shared by several messages

/** Which weights the engine runs with. */
export type WeightsPayload =
  /** PyTorch-default initialization drawn from the engine's seeded generator. */
  | { kind: 'random'; seed: number }
  /** The bytes of a `.safetensors` file the user picked; `name` is its file name, for labels. */
  | { kind: 'file'; name: string; bytes: Uint8Array };

/** What the webview computed for one heatmap (one channel of batch item 0). */
export interface HeatmapStats {
  min: number;
  max: number;
  /** Elements different from 0. */
  nonZero: number;
  /** Elements in the heatmap. */
  count: number;
}

export interface LayerReport {
  name: string;
  kind: string;
  /** The output shape as the model's framework writes it: NCHW for PyTorch, NHWC for TensorFlow.js. */
  shape: number[];
  /** Time the engine spent on the layer, in milliseconds. */
  ms: number;
  /** How many channels the output has (for [N, F] outputs: 1, the whole vector). */
  channels: number;
  /**
   * One entry per channel, for the first REPORT_MAX_CHANNELS of them: the full set for
   * ResNet-50 was 93,058 entries a run, megabytes for the workbench to relay to the extension;
   * at 256 a layer, the relay still held the workbench's main thread for about 140 ms a run.
   */
  heatmaps: HeatmapStats[];
}

/** The most channels a layer's report carries statistics for. */
export const REPORT_MAX_CHANNELS = 64;

export type FailureReason = 'analysis' | 'memory' | 'input' | 'weights' | 'engine' | 'cancelled';

export type PreviewView = 'activations' | 'im2col' | 'argmax' | 'gradient';

// ---------------------------------------------------------------------------------------------
// Extension → webview

/** Sent by the extension, in answer to `ready`: the worker's script text (the webview makes a blob: worker of it). */
export interface InitMessage {
  type: 'init';
  workerSource: string;
}

/**
 * What the extension made of the model file as of one version, from the analysis the editor
 * already holds (the diagnostics, hovers and inline shapes describe the same one): the analysis
 * itself when the preview can run it, or why it cannot. The same for every front end; the worker
 * runs the analysis as it arrives, without parsing or analyzing again.
 */
export type PreviewModel =
  | { kind: 'runnable'; analysis: SerializedAnalysis }
  /** `framework`: what the file is written for, when it parsed into a model (a TensorFlow.js model takes no weights file). */
  | { kind: 'refused'; framework: Framework | null; reason: string };

/** Sent by the extension on `ready`, after each edit of the model (debounced) and after a settings change. */
export interface ModelMessage {
  type: 'model';
  uri: string;
  fileName: string;
  version: number;
  model: PreviewModel;
  /** `convlens.preview.memoryBudgetMB`. */
  memoryBudgetMB: number;
}

/** Sent by the extension on `ready` (the remembered choice) and after the user picks weights. */
export interface WeightsMessage {
  type: 'weights';
  weights: WeightsPayload;
}

/** Sent by the extension with the bytes of the PNG/JPEG the user picked ("Use image…"). */
export interface ImageMessage {
  type: 'image';
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/** Sent by the extension when the editor cursor moves onto another layer ('input': the model input; null: no layer). */
export interface CursorMessage {
  type: 'cursor';
  layer: string | null;
}

/** Sent by the extension to show a short message in the panel (e.g. a file could not be read). */
export interface NoticeMessage {
  type: 'notice';
  level: 'info' | 'warning' | 'error';
  message: string;
}

export type ToWebviewMessage = InitMessage | ModelMessage | WeightsMessage | ImageMessage | CursorMessage | NoticeMessage;

// ---------------------------------------------------------------------------------------------
// Webview → extension

/** Sent by the webview once its script runs: the extension answers with init, weights, model, cursor. */
export interface ReadyMessage {
  type: 'ready';
}

/** Sent by the webview when the user clicks a layer: the extension reveals it in the editor. */
export interface RevealLayerMessage {
  type: 'revealLayer';
  layer: string;
}

/** Sent by the webview for "Use image…": the extension shows an open dialog and answers with `image`. */
export interface PickImageMessage {
  type: 'pickImage';
}

/** Sent by the webview for "Weights file…": the extension shows an open dialog and answers with `weights`. */
export interface PickWeightsMessage {
  type: 'pickWeights';
}

/** Sent by the webview for "Random weights": the extension remembers the choice and answers with `weights`. */
export interface UseRandomWeightsMessage {
  type: 'useRandomWeights';
  seed: number;
}

/** Sent by the webview after a run's first layer view is drawn: what was computed and drawn. */
export interface RenderedMessage {
  type: 'rendered';
  runId: number;
  /** Version of the model document the run used. */
  modelVersion: number;
  /** The visible weights label: "random weights (seed 0)" or "weights from model.safetensors". */
  weights: string;
  /** The visible input label, e.g. "sample: digit, [0, 1]". */
  input: string;
  totalMs: number;
  layers: LayerReport[];
  /** The layer whose view is drawn. */
  shownLayer: string;
}

/** Sent by the webview when a run is refused or fails; `message` is what the panel shows. */
export interface RunFailedMessage {
  type: 'runFailed';
  runId: number;
  modelVersion: number;
  reason: FailureReason;
  message: string;
}

/** Sent by the webview whenever it draws a layer's view (after a click, a cursor move or a run). */
export interface ShownMessage {
  type: 'shown';
  layer: string;
  view: PreviewView;
}

/** Sent by the webview for the extension's output log. */
export interface LogMessage {
  type: 'log';
  level: 'info' | 'warning' | 'error';
  message: string;
}

export type FromWebviewMessage =
  | ReadyMessage
  | RevealLayerMessage
  | PickImageMessage
  | PickWeightsMessage
  | UseRandomWeightsMessage
  | RenderedMessage
  | RunFailedMessage
  | ShownMessage
  | LogMessage;

// ---------------------------------------------------------------------------------------------
// Runtime validation

/** The engine's generator takes a 32-bit seed. */
export const seed: Validator<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new MessageError(path, 'an integer seed in [0, 2^32)', v);
  return v;
};

const level = literal('info', 'warning', 'error');

export const validateWeightsPayload = tagged<WeightsPayload, 'kind'>('kind', {
  random: object({ kind: literal('random'), seed }),
  file: object({ kind: literal('file'), name: string, bytes }),
});

const heatmapStats = object<HeatmapStats>({ min: number, max: number, nonZero: count, count });

const layerReport = object<LayerReport>({
  name: string,
  kind: string,
  shape: array(count),
  ms: finite,
  channels: count,
  heatmaps: array(heatmapStats),
});

// A ModelSpec, field by field (src/core/types.ts), with its params Map as entries.

const position = object<Position>({ line: count, character: count });

const validateRange = object<Range>({ start: position, end: position });

const paramEntry = object<ParamEntry>({
  key: string,
  value: plainData,
  keyRange: validateRange,
  valueRange: validateRange,
  itemRanges: optional(array(validateRange)),
});

const layerRef = object<LayerRef>({ name: string, range: validateRange });

const paramInsertion = object<ParamInsertion>({ position, style: literal('flow-empty', 'flow', 'block'), indent: optional(string) });

const layerSpec = object<SerializedLayerSpec>({
  index: count,
  name: string,
  nameExplicit: boolean,
  nameRange: optional(validateRange),
  kind: string,
  kindRange: validateRange,
  range: validateRange,
  paramsRange: validateRange,
  params: array(pair(string, paramEntry)),
  from: optional(object<NonNullable<SerializedLayerSpec['from']>>({ refs: array(layerRef), range: validateRange })),
  insertion: optional(paramInsertion),
  itemIndent: optional(count),
});

const inputSpec = object<InputSpec>({ shape: array(count), range: validateRange, dataset: optional(string) });

export const validateSerializedModelSpec = object<SerializedModelSpec>({
  name: optional(string),
  framework: literal('pytorch', 'tfjs'),
  input: optional(inputSpec),
  layers: array(layerSpec),
  range: validateRange,
});

const previewModel = tagged<PreviewModel, 'kind'>('kind', {
  runnable: object({ kind: literal('runnable'), analysis: analysisValidator(validateSerializedModelSpec) }),
  refused: object({ kind: literal('refused'), framework: nullable(literal('pytorch', 'tfjs')), reason: string }),
});

const toWebview = tagged<ToWebviewMessage, 'type'>('type', {
  init: object({ type: literal('init'), workerSource: string }),
  model: object<ModelMessage>({
    type: literal('model'),
    uri: string,
    fileName: string,
    version: count,
    model: previewModel,
    memoryBudgetMB: finite,
  }),
  weights: object({ type: literal('weights'), weights: validateWeightsPayload }),
  image: object({ type: literal('image'), name: string, mime: string, bytes }),
  cursor: object({ type: literal('cursor'), layer: nullable(string) }),
  notice: object({ type: literal('notice'), level, message: string }),
});

const fromWebview = tagged<FromWebviewMessage, 'type'>('type', {
  ready: object({ type: literal('ready') }),
  revealLayer: object({ type: literal('revealLayer'), layer: string }),
  pickImage: object({ type: literal('pickImage') }),
  pickWeights: object({ type: literal('pickWeights') }),
  useRandomWeights: object({ type: literal('useRandomWeights'), seed }),
  rendered: object({
    type: literal('rendered'),
    runId: count,
    modelVersion: count,
    weights: string,
    input: string,
    totalMs: finite,
    layers: array(layerReport),
    shownLayer: string,
  }),
  runFailed: object({
    type: literal('runFailed'),
    runId: count,
    modelVersion: count,
    reason: literal('analysis', 'memory', 'input', 'weights', 'engine', 'cancelled'),
    message: string,
  }),
  shown: object({ type: literal('shown'), layer: string, view: literal('activations', 'im2col', 'argmax', 'gradient') }),
  log: object({ type: literal('log'), level, message: string }),
});

/** The webview's check of every message the extension posts. */
export function validateToWebview(raw: unknown): Validated<ToWebviewMessage> {
  return runValidator(toWebview, raw);
}

/** The extension's check of every message the webview posts. */
export function validateFromWebview(raw: unknown): Validated<FromWebviewMessage> {
  return runValidator(fromWebview, raw);
}
