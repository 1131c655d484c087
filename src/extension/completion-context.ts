// Where the cursor is, for completion, read from the text around it. The parser's ranges cannot
// answer this: while a line is being typed the document often does not parse. Handles block
// and flow (`{...}`) mappings as written in model files. No vscode import.

export type CompletionContext =
  /** A key of the top-level mapping. */
  | { type: 'top-key'; prefix: string; written: string[] }
  /** A key of a layer item: a kind, `name` or `from`. */
  | { type: 'layer-key'; prefix: string; written: string[]; hasValueAfter: boolean }
  /** A parameter key inside a kind's mapping. */
  | { type: 'param-key'; kind: string; prefix: string; written: string[] }
  /** A parameter value. */
  | { type: 'param-value'; kind: string; param: string; prefix: string }
  /** A layer name in `from`, on the layer item starting at `itemLine`. */
  | { type: 'from-value'; prefix: string; itemLine: number }
  | { type: 'input-value'; prefix: string }
  | { type: 'input-key'; prefix: string; written: string[] }
  | { type: 'dataset-value'; prefix: string };

interface LineInfo {
  /** Column where the line's mapping key starts (after `- ` for a list item). */
  keyColumn: number;
  dash: boolean;
  dashColumn: number;
  key?: string;
  /** Text after `key:`, trimmed, without a trailing comment. */
  value?: string;
}

const KEY_LINE = /^(\s*)(-\s+)?([A-Za-z_][\w.-]*)?\s*(?::(?:\s+(.*)|\s*$))?/;

function lineInfo(text: string): LineInfo | undefined {
  const stripped = stripComment(text);
  if (stripped.trim() === '') return undefined;
  const m = KEY_LINE.exec(stripped);
  if (!m) return undefined;
  const indent = m[1]!.length;
  const dash = m[2] !== undefined;
  const hasColon = /^\s*(-\s+)?[A-Za-z_][\w.-]*\s*:(\s|$)/.test(stripped);
  return {
    keyColumn: indent + (m[2]?.length ?? 0),
    dash,
    dashColumn: indent,
    key: hasColon ? m[3] : undefined,
    value: hasColon ? (m[4] ?? '').trim() : undefined,
  };
}

function stripComment(text: string): string {
  // A '#' starts a comment at the line start or after whitespace (outside quotes, simplified).
  const m = /(^|\s)#/.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/** Keys written in a flow mapping's text, e.g. "{a: 1, b: [2, 3]}" → a, b. */
function flowKeys(text: string): string[] {
  return [...text.matchAll(/[{,]\s*([A-Za-z_]\w*)\s*:/g)].map((m) => m[1]!);
}

/** The open `{` (no matching `}`) before the cursor on this line, if any. */
function openBrace(text: string): number {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '}' || c === ']') depth++;
    else if (c === '{' || c === '[') {
      if (depth === 0) return c === '{' ? i : -1;
      depth--;
    }
  }
  return -1;
}

/**
 * Walks up from `line` to the mapping that contains a key at `column`: collects sibling keys,
 * and returns the parent line (the key line at a smaller column) and, when the mapping is a list
 * item's, the line of its `- `.
 */
function enclosing(
  lines: string[],
  line: number,
  column: number,
): { siblings: string[]; parent?: { line: number; info: LineInfo }; itemLine?: number } {
  const siblings: string[] = [];
  for (let l = line - 1; l >= 0; l--) {
    const info = lineInfo(lines[l]!);
    if (!info) continue;
    if (info.keyColumn === column) {
      if (info.key) siblings.push(info.key);
      if (info.dash) return { siblings, itemLine: l, parent: findParent(lines, l, info.dashColumn) };
      continue;
    }
    if (info.keyColumn < column) return { siblings, parent: { line: l, info } };
  }
  return { siblings };
}

function findParent(lines: string[], line: number, column: number): { line: number; info: LineInfo } | undefined {
  for (let l = line - 1; l >= 0; l--) {
    const info = lineInfo(lines[l]!);
    if (!info) continue;
    // A list may sit at the same column as its parent key (`layers:\n- conv2d: ...`).
    if (info.keyColumn < column || (info.keyColumn === column && !info.dash && info.key !== undefined && info.value === ''))
      return { line: l, info };
  }
  return undefined;
}

/** Whether a layer item's parent is the `layers:` key. */
function isLayersList(parent: { info: LineInfo } | undefined): boolean {
  return parent?.info.key === 'layers';
}

export function completionContextAt(
  lines: string[],
  line: number,
  character: number,
  isKind: (word: string) => boolean,
): CompletionContext | undefined {
  const full = lines[line] ?? '';
  const before = full.slice(0, character);
  const after = full.slice(character);

  // Inside a flow mapping on this line: `conv2d: {out_channels: 8, |`
  const brace = openBrace(before);
  if (brace >= 0) {
    const owner = /([A-Za-z_]\w*)\s*:\s*$/.exec(before.slice(0, brace))?.[1];
    const segment =
      before
        .slice(brace + 1)
        .split(',')
        .pop() ?? '';
    const written = flowKeys(full.slice(brace));
    const keyMatch = /^\s*([A-Za-z_]\w*)?$/.exec(segment);
    const valueMatch = /^\s*([A-Za-z_]\w*)\s*:\s*([\w'".-]*)$/.exec(segment);
    if (owner === 'input') {
      if (keyMatch) return { type: 'input-key', prefix: keyMatch[1] ?? '', written };
      if (valueMatch?.[1] === 'dataset') return { type: 'dataset-value', prefix: valueMatch[2]! };
      return undefined;
    }
    if (owner === undefined || !isKind(owner)) return undefined;
    if (keyMatch) return { type: 'param-key', kind: owner, prefix: keyMatch[1] ?? '', written };
    if (valueMatch) return { type: 'param-value', kind: owner, param: valueMatch[1]!, prefix: valueMatch[2]! };
    return undefined;
  }

  // `from: [a, |` or `from: |`
  const fromMatch = /^(\s*)(-\s+)?from\s*:\s*(?:\[(?:[^\]]*,)?)?\s*([\w.-]*)$/.exec(before);
  if (fromMatch) {
    const column = fromMatch[1]!.length + (fromMatch[2]?.length ?? 0);
    const item = fromMatch[2] !== undefined ? line : enclosing(lines, line, column).itemLine;
    return item === undefined ? undefined : { type: 'from-value', prefix: fromMatch[3]!, itemLine: item };
  }

  // A value after `key: ` in block style.
  const valueMatch = /^(\s*)(-\s+)?([A-Za-z_]\w*)\s*:\s+([\w'".-]*)$/.exec(before);
  if (valueMatch) {
    const column = valueMatch[1]!.length + (valueMatch[2]?.length ?? 0);
    const key = valueMatch[3]!;
    const prefix = valueMatch[4]!;
    if (column === 0 && key === 'input') return { type: 'input-value', prefix };
    const { parent } = valueMatch[2] !== undefined ? { parent: undefined } : enclosing(lines, line, column);
    if (key === 'dataset' && parent?.info.key === 'input') return { type: 'dataset-value', prefix };
    if (parent?.info.key && isKind(parent.info.key) && parent.info.value === '')
      return { type: 'param-value', kind: parent.info.key, param: key, prefix };
    return undefined;
  }

  // A key position: `  - |`, `    |`, `|`.
  const keyMatch = /^(\s*)(-\s+)?([A-Za-z_]\w*)?$/.exec(before);
  if (!keyMatch) return undefined;
  const prefix = keyMatch[3] ?? '';
  const hasValueAfter = /^\w*\s*:/.test(after);
  const column = keyMatch[1]!.length + (keyMatch[2]?.length ?? 0);
  if (keyMatch[2] !== undefined) {
    const parent = findParent(lines, line, keyMatch[1]!.length);
    return isLayersList(parent) ? { type: 'layer-key', prefix, written: [], hasValueAfter } : undefined;
  }
  if (column === 0) {
    const written = lines
      .map(lineInfo)
      .filter((info): info is LineInfo => info?.keyColumn === 0 && info.key !== undefined)
      .map((info) => info.key!);
    return { type: 'top-key', prefix, written };
  }
  const { siblings, parent, itemLine } = enclosing(lines, line, column);
  if (itemLine !== undefined) {
    return isLayersList(parent) ? { type: 'layer-key', prefix, written: siblings, hasValueAfter } : undefined;
  }
  if (parent?.info.key && parent.info.value === '') {
    if (isKind(parent.info.key)) return { type: 'param-key', kind: parent.info.key, prefix, written: siblings };
    if (parent.info.key === 'input' && parent.info.keyColumn === 0) return { type: 'input-key', prefix, written: siblings };
  }
  return undefined;
}
