// Reads an Ultralytics model YAML into plain values with the source range of every row and field.

import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

export interface Position {
  line: number; // 0-based
  character: number; // 0-based
}

export interface SourceRange {
  start: Position;
  end: Position;
  startOffset: number;
  endOffset: number;
}

/** A Python-like value: what PyYAML plus parse_model's string resolution gives. */
export type PyValue = number | boolean | null | string | PyValue[];

export interface RowSource {
  index: number;
  section: 'backbone' | 'head';
  /** The row's four fields as written (undefined when missing). */
  from: unknown;
  repeats: unknown;
  module: unknown;
  args: unknown;
  range: SourceRange;
  fieldRanges: (SourceRange | undefined)[];
  argRanges: (SourceRange | undefined)[];
}

export interface ModelSource {
  nc: unknown;
  scales: Record<string, unknown> | undefined;
  ch: unknown;
  activation: unknown;
  kptShape: unknown;
  depthMultiple: unknown;
  widthMultiple: unknown;
  rows: RowSource[];
  /** Range of each top-level key's value, and of the key itself. */
  keyRanges: Record<string, SourceRange>;
  keyNameRanges: Record<string, SourceRange>;
  /** Problems with the file's structure (not a list, a row that is not a 4-item list...). */
  problems: { message: string; range: SourceRange }[];
}

export function makeRangeFactory(lineCounter: LineCounter) {
  return (start: number, end: number): SourceRange => {
    const s = lineCounter.linePos(start);
    const e = lineCounter.linePos(end);
    return {
      start: { line: s.line - 1, character: s.col - 1 },
      end: { line: e.line - 1, character: e.col - 1 },
      startOffset: start,
      endOffset: end,
    };
  };
}

const HEADER = /^(backbone|head)\s*:/m;

/** True for a YAML whose top level has `backbone` and `head` lists of `[from, repeats, module, args]` rows. */
export function isUltralyticsYaml(text: string): boolean {
  if (!/^backbone\s*:/m.test(text) || !/^head\s*:/m.test(text) || !HEADER.test(text)) return false;
  let doc;
  try {
    doc = parseDocument(text);
  } catch {
    return false;
  }
  const root = doc.contents;
  if (!isMap(root)) return false;
  const backbone = root.get('backbone', true);
  const head = root.get('head', true);
  if (!isSeq(backbone) || !isSeq(head)) return false;
  const first = backbone.items[0];
  return isSeq(first) && first.items.length === 4;
}

export function readModelSource(text: string): ModelSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const range = makeRangeFactory(lineCounter);
  const nodeRange = (n: Node | null | undefined): SourceRange | undefined => (n && n.range ? range(n.range[0], n.range[1]) : undefined);
  const whole = range(0, text.length);
  const problems: ModelSource['problems'] = doc.errors.map((e) => ({ message: `YAML: ${e.message}`, range: range(e.pos[0], e.pos[1]) }));
  const source: ModelSource = {
    nc: undefined,
    scales: undefined,
    ch: undefined,
    activation: undefined,
    kptShape: undefined,
    depthMultiple: undefined,
    widthMultiple: undefined,
    rows: [],
    keyRanges: {},
    keyNameRanges: {},
    problems,
  };
  const root = doc.contents;
  if (!isMap(root)) {
    problems.push({ message: 'An Ultralytics model YAML is a mapping with `backbone` and `head` lists', range: whole });
    return source;
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined) continue;
    const r = nodeRange(pair.value as Node) ?? nodeRange(pair.key as Node);
    if (r) source.keyRanges[key] = r;
    const kr = nodeRange(pair.key as Node);
    if (kr) source.keyNameRanges[key] = kr;
  }
  const json = (k: string): unknown => {
    const v = root.get(k, true) as Node | undefined;
    return v === undefined ? undefined : v.toJSON();
  };
  source.nc = json('nc');
  const scales = json('scales');
  source.scales = scales && typeof scales === 'object' && !Array.isArray(scales) ? (scales as Record<string, unknown>) : undefined;
  source.ch = json('ch');
  source.activation = json('activation');
  source.kptShape = json('kpt_shape');
  source.depthMultiple = json('depth_multiple');
  source.widthMultiple = json('width_multiple');

  for (const section of ['backbone', 'head'] as const) {
    const list = root.get(section, true) as Node | undefined;
    if (!isSeq(list)) {
      problems.push({
        message: `\`${section}\` must be a list of [from, repeats, module, args] rows`,
        range: source.keyRanges[section] ?? whole,
      });
      continue;
    }
    for (const item of list.items) {
      const r = nodeRange(item as Node) ?? whole;
      if (!isSeq(item) || item.items.length !== 4) {
        const got = isSeq(item) ? `${item.items.length} items` : 'not a list';
        problems.push({ message: `A ${section} row is [from, repeats, module, args]; this one has ${got}`, range: r });
        continue;
      }
      const fields = item.items as Node[];
      const argsNode = fields[3];
      source.rows.push({
        index: source.rows.length,
        section,
        from: fields[0]?.toJSON(),
        repeats: fields[1]?.toJSON(),
        module: fields[2]?.toJSON(),
        args: argsNode?.toJSON(),
        range: r,
        fieldRanges: fields.map((f) => nodeRange(f)),
        argRanges: isSeq(argsNode) ? (argsNode.items as Node[]).map((a) => nodeRange(a)) : [],
      });
    }
  }
  return source;
}

/**
 * The scale Ultralytics reads from a file name (`yolov8n.yaml` → n, `yolo11s-seg.yaml` → s) and the
 * file name it then loads (`yolov8.yaml`, `yolo11-seg.yaml`); `yolov8n6.yaml` means `yolov8n-p6.yaml`.
 */
export function scaleFromFileName(fileName: string): { scale: string | undefined; unifiedName: string } {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  let stem = dot > 0 ? base.slice(0, dot) : base;
  const suffix = dot > 0 ? base.slice(dot) : '';
  if (/^yolov[58][nsmlx]6$/.test(stem)) stem = stem.replace(/(\d+)([nslmx])6(.+)?$/, (_m, d, s, rest) => `${d}${s}-p6${rest ?? ''}`);
  const unifiedName = stem.replace(/(\d+)([nslmx])(.+)?$/, (_m, d, _s, rest) => `${d}${rest ?? ''}`) + suffix;
  const match = /yolo(e-)?v?\d+([nslmx])/i.exec(stem);
  return { scale: match?.[2], unifiedName };
}
