// Plain data shared by every part of the core: source positions, diagnostics and the model IR.
// Nothing here knows about VS Code, Node or a particular file format.

/** A 0-based position, as in VS Code and LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix the editor can offer; the CLI ignores it. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** True for the fix an editor should prefer (shown first, applied by "auto fix"). */
  preferred?: boolean;
}

export interface RelatedInformation {
  message: string;
  range: Range;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable identifier, e.g. `conv.non-positive-output`. */
  code: string;
  message: string;
  range: Range;
  /** Name of the layer the diagnostic belongs to, when there is one. */
  layer?: string;
  related?: RelatedInformation[];
  fixes?: Fix[];
}

/** A tensor shape; every dimension is a positive integer. */
export type Shape = number[];

/** Which framework's semantics a model follows. */
export type Framework = 'pytorch' | 'tfjs';

/** A parameter value with the ranges of its key and its value in the source. */
export interface ParamEntry {
  key: string;
  /** The parsed value: number, string, boolean, null, or an array of those. */
  value: unknown;
  keyRange: Range;
  valueRange: Range;
  /** Ranges of the array elements, when the value is a sequence. */
  itemRanges?: Range[];
  /** The value could not be read and a diagnostic already says why (a YAML alias): no more checks. */
  reported?: boolean;
}

export interface LayerRef {
  name: string;
  range: Range;
}

/** One layer as written in the model file, before any analysis. */
export interface LayerSpec {
  /** 0-based position in the layer list. */
  index: number;
  name: string;
  /** Whether the user wrote `name` (otherwise it is `<kind>_<index+1>`). */
  nameExplicit: boolean;
  nameRange?: Range;
  kind: string;
  kindRange: Range;
  /** The whole layer item. */
  range: Range;
  /** The parameter mapping (its braces or block). */
  paramsRange: Range;
  params: Map<string, ParamEntry>;
  /** Explicit inputs; undefined means "the previous layer". */
  from?: { refs: LayerRef[]; range: Range };
  /** Where a new parameter `key: value` can be inserted, for quick fixes. */
  insertion?: ParamInsertion;
  /** Column of the list item's `-` (YAML block sequences), for fixes that insert a layer. */
  itemIndent?: number;
}

/** How to add a key to a layer's parameters without reformatting the file. */
export interface ParamInsertion {
  /** Position where text is inserted. */
  position: Position;
  /** Builds the inserted text for `key: value`. */
  style: 'flow-empty' | 'flow' | 'block';
  /** Indentation for block style. */
  indent?: string;
}

export interface InputSpec {
  shape: Shape;
  range: Range;
  /** Present when the input came from a dataset preset. */
  dataset?: string;
}

/** The frontend-independent model: what YAML and TypeScript parsers produce. */
export interface ModelSpec {
  name?: string;
  framework: Framework;
  /** Undefined when the input is missing or invalid (a diagnostic says why). */
  input?: InputSpec;
  layers: LayerSpec[];
  /** Range of the whole document, used for model-level diagnostics. */
  range: Range;
}

export interface ParseResult {
  model?: ModelSpec;
  diagnostics: Diagnostic[];
}
