// The JSON side of "Evaluate Detections": parse a file's text with a line:column for syntax
// errors, tell a ground truth from a results list, and find the text range of a JSON path such as
// `annotations[3].bbox[2]`, so a validation problem can be shown on the offending value. Pure.

export type JsonKind = 'ground-truth' | 'detections' | 'unknown';

/** A COCO dataset is an object with `images`/`annotations`; a results list is an array. */
export function jsonKind(value: unknown): JsonKind {
  if (Array.isArray(value)) return 'detections';
  if (typeof value === 'object' && value !== null && ('annotations' in value || 'images' in value || 'categories' in value)) return 'ground-truth';
  return 'unknown';
}

export interface LineColumn {
  /** 0-based, as vscode.Position. */
  line: number;
  character: number;
}

export function lineColumnAt(text: string, offset: number): LineColumn {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, character: end - lineStart };
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; message: string; offset: number | undefined };

/** JSON.parse with the error's place as line:column (1-based in the message) when V8 names a position. */
export function parseJsonText(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(raw);
    if (position === null) return { ok: false, message: raw, offset: undefined };
    const offset = Number(position[1]);
    const at = lineColumnAt(text, offset);
    const reason = raw.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*at position \d+.*$/s, '');
    return { ok: false, message: `line ${at.line + 1}, column ${at.character + 1}: ${reason}`, offset };
  }
}

type Segment = { key: string } | { index: number };

/** `annotations[3].bbox[2]` → key annotations, index 3, key bbox, index 2; undefined if malformed. */
export function parseJsonPath(path: string): Segment[] | undefined {
  const segments: Segment[] = [];
  const pattern = /\.?([A-Za-z_$][\w$]*)|\[(\d+)\]/y;
  let at = 0;
  while (at < path.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(path);
    if (match === null) return undefined;
    segments.push(match[1] !== undefined ? { key: match[1] } : { index: Number(match[2]) });
    at = pattern.lastIndex;
  }
  return segments;
}

/**
 * Offsets [start, end) of the value at `path` in the JSON `text` (the whole document for ''), or
 * undefined when the text is not valid JSON there or the path leads nowhere. A single scan that
 * skips what it does not need, so it is linear in the text's length.
 */
export function jsonPathRange(text: string, path: string): { start: number; end: number } | undefined {
  const segments = parseJsonPath(path);
  if (segments === undefined) return undefined;
  let i = 0;
  const ws = (): void => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(i)) i++;
  };
  const skipString = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') i += 2;
      else if (c === '"') {
        i++;
        return true;
      } else i++;
    }
    return false;
  };
  const readString = (): string | undefined => {
    const start = i;
    if (!skipString()) return undefined;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return undefined;
    }
  };
  /** Skips one value; false on malformed text. */
  const skipValue = (): boolean => {
    ws();
    const c = text[i];
    if (c === '"') return skipString();
    if (c === '{' || c === '[') {
      let depth = 0;
      while (i < text.length) {
        const d = text[i];
        if (d === '"') {
          if (!skipString()) return false;
          continue;
        }
        if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') {
          depth--;
          if (depth === 0) {
            i++;
            return true;
          }
        }
        i++;
      }
      return false;
    }
    const start = i;
    while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++; // a number or literal: short
    return i > start;
  };

  for (const segment of segments) {
    ws();
    if ('key' in segment) {
      if (text[i] !== '{') return undefined;
      i++;
      let found = false;
      for (;;) {
        ws();
        if (text[i] === '}') return undefined;
        const key = readString();
        if (key === undefined) return undefined;
        ws();
        if (text[i] !== ':') return undefined;
        i++;
        if (key === segment.key) {
          found = true;
          break;
        }
        if (!skipValue()) return undefined;
        ws();
        if (text[i] === ',') i++;
      }
      if (!found) return undefined;
    } else {
      if (text[i] !== '[') return undefined;
      i++;
      for (let n = 0; n < segment.index; n++) {
        ws();
        if (text[i] === ']') return undefined;
        if (!skipValue()) return undefined;
        ws();
        if (text[i] !== ',') return undefined;
        i++;
      }
      ws();
      if (text[i] === ']') return undefined;
    }
  }
  ws();
  const start = i;
  if (!skipValue()) return undefined;
  return { start, end: i };
}
