// Runtime validation of messages between the extension and its webviews: small validator
// combinators that read `unknown` data as a typed value or throw a MessageError naming the path of
// the first problem. Shared by the preview and the metrics messages.

export type Validated<T> = { ok: true; message: T } | { ok: false; error: string };

/** Reads `value` as a T or throws a MessageError naming the path of the first problem. */
export type Validator<T> = (value: unknown, path: string) => T;

export class MessageError extends Error {
  constructor(path: string, expected: string, value: unknown) {
    super(`${path}: expected ${expected}, got ${describe(value)}`);
    this.name = 'MessageError';
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export const string: Validator<string> = (v, path) => {
  if (typeof v !== 'string') throw new MessageError(path, 'a string', v);
  return v;
};

/** Any number, NaN and ±Infinity included (statistics of a tensor may be either). */
export const number: Validator<number> = (v, path) => {
  if (typeof v !== 'number') throw new MessageError(path, 'a number', v);
  return v;
};

export const finite: Validator<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new MessageError(path, 'a finite number', v);
  return v;
};

export const count: Validator<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new MessageError(path, 'a non-negative integer', v);
  return v;
};

/** A byte array. VS Code revives typed arrays across postMessage; an ArrayBuffer is accepted too. */
export const bytes: Validator<Uint8Array> = (v, path) => {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new MessageError(path, 'bytes (Uint8Array)', v);
};

export function literal<const T extends string>(...values: T[]): Validator<T> {
  return (v, path) => {
    if (typeof v !== 'string' || !(values as string[]).includes(v))
      throw new MessageError(path, values.map((s) => JSON.stringify(s)).join(' or '), v);
    return v as T;
  };
}

export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return (v, path) => (v === null ? null : inner(v, path));
}

export function array<T>(item: Validator<T>): Validator<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) throw new MessageError(path, 'an array', v);
    return v.map((element, i) => item(element, `${path}[${i}]`));
  };
}

export const boolean: Validator<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new MessageError(path, 'a boolean', v);
  return v;
};

/** An optional field: absent (or undefined) stays absent. */
export function optional<T>(inner: Validator<T>): Validator<T | undefined> {
  return (v, path) => (v === undefined ? undefined : inner(v, path));
}

/**
 * A plain object with exactly these fields validated (extra fields are dropped; an optional field
 * that is absent stays absent).
 */
export function object<T extends object>(fields: { [K in keyof T]-?: Validator<T[K]> }): Validator<T> {
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new MessageError(path, 'an object', v);
    const source = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      const value = fields[key](source[key], `${path}.${key}`);
      if (value !== undefined) out[key] = value;
    }
    return out as T;
  };
}

export function pair<A, B>(first: Validator<A>, second: Validator<B>): Validator<[A, B]> {
  return (v, path) => {
    if (!Array.isArray(v) || v.length !== 2) throw new MessageError(path, 'a pair [a, b]', v);
    return [first(v[0], `${path}[0]`), second(v[1], `${path}[1]`)];
  };
}

/** How deep a parameter value may nest (`[[1, 1], [2, 2]]` is 2). */
const PLAIN_DATA_DEPTH = 8;

/** A parameter value: number, string, boolean, null or absent, or arrays and objects of those. */
export const plainData: Validator<unknown> = (v, path) => readPlainData(v, path, 0);

function readPlainData(v: unknown, path: string, depth: number): unknown {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (depth >= PLAIN_DATA_DEPTH) throw new MessageError(path, `plain data nested at most ${PLAIN_DATA_DEPTH} deep`, v);
  if (Array.isArray(v)) return v.map((item, i) => readPlainData(item, `${path}[${i}]`, depth + 1));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) {
      // defineProperty: a key named __proto__ becomes a property, not the object's prototype.
      Object.defineProperty(out, key, {
        value: readPlainData(item, `${path}.${key}`, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  throw new MessageError(path, 'plain data (a number, string, boolean, null, array or object)', v);
}

/** A union keyed by one string field; `cases` must cover every variant. */
export function tagged<T extends Record<K, string>, K extends string>(
  key: K,
  cases: { [Tag in T[K]]: Validator<Extract<T, Record<K, Tag>>> },
): Validator<T> {
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new MessageError(path, 'an object', v);
    const tag = (v as Record<string, unknown>)[key];
    const table = cases as Record<string, Validator<T> | undefined>;
    const validate = typeof tag === 'string' && Object.prototype.hasOwnProperty.call(table, tag) ? table[tag] : undefined;
    if (validate === undefined) throw new MessageError(`${path}.${key}`, `one of ${Object.keys(cases).join(', ')}`, tag);
    return validate(v, path);
  };
}

/** Runs a validator on a whole message: the typed message, or the first problem as text. */
export function runValidator<T>(validator: Validator<T>, raw: unknown): Validated<T> {
  try {
    return { ok: true, message: validator(raw, 'message') };
  } catch (error) {
    if (error instanceof MessageError) return { ok: false, error: error.message };
    throw error;
  }
}
