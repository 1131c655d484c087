// The JSON side of "Evaluate Detections": parse a file's text with a line:column for syntax
// errors, tell a ground truth from a results list, and find the text range of a JSON path such as
// `annotations[3].bbox[2]`, so a validation problem can be shown on the offending value. Pure.

export type JsonKind = 'ground-truth' | 'detections' | 'unknown';

/** A COCO dataset is an object with `images`/`annotations`; a results list is an array. */
export function jsonKind(value: unknown): JsonKind {
  if (Array.isArray(value)) return 'detections';
  if (typeof value === 'object' && value !== null && ('annotations' in value || 'images' in value || 'categories' in value))
    return 'ground-truth';
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

/** lineColumnAt for many offsets of one text: the line starts are found once, then binary-searched. */
export function lineLocator(text: string): (offset: number) => LineColumn {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    const at = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: at - (starts[lo] as number) };
  };
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; message: string; offset: number | undefined };

/**
 * Offset of the first JSON syntax error in `text` (a strict recursive-descent check), or
 * undefined when the text is valid. Only run after JSON.parse failed: V8 does not always say where.
 */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(i)) i++;
  };
  const fail = (at = i): never => {
    throw at;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 32) fail();
      if (c === 92) {
        const e = text[i + 1] ?? '';
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i + 1);
          i += 6;
        } else if ('"\\/bfnrt'.includes(e) && e !== '') i += 2;
        else fail(i + 1);
      } else i++;
    }
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (match === null || match[0] === '' || match[0] === '-') fail();
    i += (match as RegExpExecArray)[0].length;
  };
  const value = (depth: number): void => {
    if (depth > 512) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail();
    return undefined;
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
}

/** JSON.parse, with the place of a syntax error as line and column (1-based in the message). */
export function parseJsonText(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const stated = /at position (\d+)/.exec(raw);
    const offset = stated ? Number(stated[1]) : jsonSyntaxErrorOffset(text);
    // V8 quotes a snippet of the text ("..." is not valid JSON) or names the position: both are
    // replaced by the line and column.
    const reason = raw.replace(/,\s*(?:\.\.\.)?".*" is not valid JSON$/s, '').replace(/\s*(in JSON )?at position \d+.*$/s, '');
    if (offset === undefined) return { ok: false, message: raw, offset: undefined };
    const at = lineColumnAt(text, offset);
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
      for (;;) {
        ws();
        if (text[i] === '}') return undefined;
        const key = readString();
        if (key === undefined) return undefined;
        ws();
        if (text[i] !== ':') return undefined;
        i++;
        if (key === segment.key) {
          break;
        }
        if (!skipValue()) return undefined;
        ws();
        if (text[i] === ',') i++;
      }
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
