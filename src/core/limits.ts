// The sizes ConvLens computes with exactly, and the one way to quote a value in a message.
//
// Integers written in a model file (parameters, input dimensions) and the dimensions of image
// tensors are at most MAX_DIMENSION = 2^31 − 1 (TensorFlow.js shapes are int32 too): every
// window and resize formula on such numbers stays far inside the doubles' exact range (2^53), so
// output sizes are exact. A flatten may merge dimensions past 2^31 − 1; its product is computed
// with bigint and accepted up to MAX_FLAT_DIMENSION = 2^53 − 1. Counts (params, MACs, bytes) are
// bigint throughout. Anything larger, and NaN or ±Infinity, is refused with a message that quotes
// the value and the allowed range.

/** The largest integer parameter, input dimension or dimension of a 4-D tensor: 2^31 − 1. */
export const MAX_DIMENSION = 2 ** 31 - 1;

/** The largest dimension of a flattened tensor: 2^53 − 1, the doubles' exact integers. */
export const MAX_FLAT_DIMENSION = Number.MAX_SAFE_INTEGER;

/** Characters of a value quoted in a message before it is cut. */
const QUOTE_LIMIT = 200;

/**
 * A value as a message quotes it: numbers as JavaScript writes them (`1e+308`, `NaN`,
 * `Infinity`, where JSON would say `null`), bigints in full, strings in quotes, arrays and
 * objects as JSON-like text, cut at 200 characters.
 */
export function describeValue(value: unknown): string {
  const text = describeInner(value, 0);
  return text.length <= QUOTE_LIMIT ? text : `${text.slice(0, QUOTE_LIMIT - 1)}…`;
}

function describeInner(value: unknown, depth: number): string {
  if (typeof value === 'string') return `'${value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (depth > 3) return '…';
  if (Array.isArray(value)) {
    const items: string[] = [];
    let length = 0;
    for (const item of value) {
      if (length > QUOTE_LIMIT) {
        items.push('…');
        break;
      }
      const text = describeInner(item, depth + 1);
      items.push(text);
      length += text.length + 2;
    }
    return `[${items.join(', ')}]`;
  }
  if (typeof value === 'object') {
    const entries: string[] = [];
    let length = 0;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (length > QUOTE_LIMIT) {
        entries.push('…');
        break;
      }
      const text = `${k}: ${describeInner(v, depth + 1)}`;
      entries.push(text);
      length += text.length + 2;
    }
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

/** A written integer beyond MAX_DIMENSION or a non-finite number: the reason, quoting it; else undefined. */
export function dimensionProblem(value: unknown, what: string, min = 1): string | undefined {
  if (typeof value === 'bigint') return `${what} must be an integer from ${min} to ${MAX_DIMENSION}, got ${value}`;
  if (typeof value !== 'number') return undefined;
  if (!Number.isFinite(value)) return `${what} must be an integer from ${min} to ${MAX_DIMENSION}, got ${describeValue(value)}`;
  if (Number.isInteger(value) && value > MAX_DIMENSION)
    return `${what} must be an integer from ${min} to ${MAX_DIMENSION}, got ${describeValue(value)}`;
  return undefined;
}

/** The longest model file analyzed: 8 MiB of text (real model files are a few KB). */
export const MAX_MODEL_TEXT_LENGTH = 8 * 2 ** 20;

/** The most layers in one model (the largest real CNNs have about a thousand). */
export const MAX_LAYERS = 10_000;

/** The diagnostic for a model text over MAX_MODEL_TEXT_LENGTH, or undefined. */
export function modelTextTooLong(length: number): { message: string } | undefined {
  if (length <= MAX_MODEL_TEXT_LENGTH) return undefined;
  return {
    message: `The file has ${length} characters; ConvLens analyzes model files of up to ${MAX_MODEL_TEXT_LENGTH} characters (8 MiB)`,
  };
}
