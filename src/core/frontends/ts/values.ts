// The values the static evaluator produces: plain data, objects and arrays that remember the
// syntax they came from (for ranges), `Unresolved` (what could not be known, and why) and host
// values a front end gives meaning to. Pure data and helpers; no evaluation here.

import type * as TS from 'typescript';

export interface Unresolved {
  kind: 'unresolved';
  /** The innermost expression that could not be resolved. */
  node: TS.Node;
  reason: string;
  /** The value is over one of VALUE_LIMITS (an error, not an unknown). */
  limit?: boolean;
}

export interface ArrayItem {
  node: TS.Node;
  value: Value;
  /** A spread (`...x`) that could not be resolved: an unknown number of items. */
  unknownSpread?: boolean;
}

export interface ArrayValue {
  kind: 'array';
  node: TS.Node;
  items: ArrayItem[];
}

export interface ObjectProperty {
  type: 'property';
  key: string;
  keyNode: TS.Node;
  valueNode: TS.Node;
  /** Evaluated on first use, so properties nobody reads (initializers...) are never looked at. */
  value(): Value;
}

export type ObjectEntry = ObjectProperty | { type: 'spread'; unresolved: Unresolved };

export interface ObjectValue {
  kind: 'object';
  node: TS.Node;
  entries: ObjectEntry[];
}

export interface FunctionValue {
  kind: 'function';
  node: TS.Node;
}

/** A value a front end gives meaning to (TensorFlow.js layers, tensors, models). */
export interface HostValue {
  kind: 'host';
  node: TS.Node;
  host: unknown;
}

export type Value = number | string | boolean | null | undefined | Unresolved | ArrayValue | ObjectValue | FunctionValue | HostValue;

export function isUnresolved(value: Value): value is Unresolved {
  return typeof value === 'object' && value !== null && value.kind === 'unresolved';
}

export function isObjectValue(value: Value): value is ObjectValue {
  return typeof value === 'object' && value !== null && value.kind === 'object';
}

export function isArrayValue(value: Value): value is ArrayValue {
  return typeof value === 'object' && value !== null && value.kind === 'array';
}

export function isHostValue(value: Value): value is HostValue {
  return typeof value === 'object' && value !== null && value.kind === 'host';
}

/** The last property `key` of an object, honouring spreads (a later unknown spread may override). */
export function getProperty(object: ObjectValue, key: string): ObjectProperty | Unresolved | undefined {
  for (let i = object.entries.length - 1; i >= 0; i--) {
    const entry = object.entries[i]!;
    if (entry.type === 'spread') return entry.unresolved;
    if (entry.key === key) return entry;
  }
  return undefined;
}

/** Every property, the last one of each key, in source order. */
export function properties(object: ObjectValue): ObjectProperty[] {
  const last = new Map<string, ObjectProperty>();
  for (const entry of object.entries) if (entry.type === 'property') last.set(entry.key, entry);
  return [...last.values()];
}

/** The first unknown spread in an object, if any. */
export function unknownSpread(object: ObjectValue): Unresolved | undefined {
  for (const entry of object.entries) if (entry.type === 'spread') return entry.unresolved;
  return undefined;
}

/**
 * Limits of the static evaluator. Model files are small; these only stop hostile ones (a value
 * that doubles at every const, a template that doubles a string) before they exhaust memory.
 */
export const VALUE_LIMITS = {
  /** Nesting of arrays and objects in a value, and of brackets in the source (see ./index.ts). */
  depth: 200,
  /** Numbers, strings and other leaves, arrays and objects in one plain value, shared parts counted each time they appear. */
  size: 100_000,
  /** Items of one array (after spreads) or entries of one object. */
  items: 100_000,
  /** Characters of one string. */
  stringLength: 1_000_000,
} as const;

/**
 * How many values `value` expands to as plain data (shared parts counted every time they
 * appear), up to VALUE_LIMITS: measured once per distinct array or object, iteratively, so a
 * value that doubles at every const (`const k2 = [k1, k1]`) costs one step per const, not 2^n.
 */
function measure(value: Value, evaluator: { unresolved(node: TS.Node, reason: string): Unresolved }, at: TS.Node): Unresolved | undefined {
  const sizes = new Map<ArrayValue | ObjectValue, number>();
  const stack: { value: ArrayValue | ObjectValue; node: TS.Node; depth: number; expanded: boolean }[] = [];
  const push = (v: Value, node: TS.Node, depth: number): Unresolved | undefined => {
    if (!isArrayValue(v) && !isObjectValue(v)) return undefined;
    if (sizes.has(v)) return undefined;
    if (depth > VALUE_LIMITS.depth)
      return {
        ...evaluator.unresolved(node, `is nested more than ${VALUE_LIMITS.depth} levels deep (the limit for a value)`),
        limit: true,
      };
    stack.push({ value: v, node, depth, expanded: false });
    return undefined;
  };
  const children = (v: ArrayValue | ObjectValue): { value: Value; node: TS.Node }[] =>
    isArrayValue(v)
      ? v.items.map((i) => ({ value: i.value, node: i.node }))
      : unknownSpread(v)
        ? []
        : properties(v).map((p) => ({ value: p.value(), node: p.valueNode }));
  const first = push(value, at, 1);
  if (first) return first;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (!top.expanded) {
      top.expanded = true;
      for (const child of children(top.value)) {
        const problem = push(child.value, child.node, top.depth + 1);
        if (problem) return problem;
      }
      continue;
    }
    stack.pop();
    if (sizes.has(top.value)) continue;
    let size = 1;
    for (const child of children(top.value))
      size += isArrayValue(child.value) || isObjectValue(child.value) ? (sizes.get(child.value) ?? 0) : 1;
    if (size > VALUE_LIMITS.size) {
      return {
        ...evaluator.unresolved(
          top.node,
          `holds more than ${VALUE_LIMITS.size} values once its shared parts are counted every time they appear (the limit for a value)`,
        ),
        limit: true,
      };
    }
    sizes.set(top.value, size);
  }
  return undefined;
}

/**
 * Converts to plain data (numbers, strings, booleans, null, arrays, records), or says what is
 * unknown, or that the value is over VALUE_LIMITS (measured first, so the copy stays small).
 */
export function toPlain(
  value: Value,
  evaluator: { unresolved(node: TS.Node, reason: string): Unresolved },
  at: TS.Node,
): { ok: true; value: unknown } | { ok: false; unresolved: Unresolved } {
  const tooLarge = measure(value, evaluator, at);
  if (tooLarge) return { ok: false, unresolved: tooLarge };
  return copyPlain(value, evaluator, at);
}

function copyPlain(
  value: Value,
  evaluator: { unresolved(node: TS.Node, reason: string): Unresolved },
  at: TS.Node,
): { ok: true; value: unknown } | { ok: false; unresolved: Unresolved } {
  if (isUnresolved(value)) return { ok: false, unresolved: value };
  if (typeof value !== 'object' || value === null) return { ok: true, value };
  if (isArrayValue(value)) {
    const out: unknown[] = [];
    for (const item of value.items) {
      const converted = copyPlain(item.value, evaluator, item.node);
      if (!converted.ok) return converted;
      out.push(converted.value);
    }
    return { ok: true, value: out };
  }
  if (isObjectValue(value)) {
    const spread = unknownSpread(value);
    if (spread) return { ok: false, unresolved: spread };
    const out: Record<string, unknown> = {};
    for (const prop of properties(value)) {
      const converted = copyPlain(prop.value(), evaluator, prop.valueNode);
      if (!converted.ok) return converted;
      out[prop.key] = converted.value;
    }
    return { ok: true, value: out };
  }
  return { ok: false, unresolved: evaluator.unresolved(at, value.kind === 'function' ? 'is a function, not data' : 'is not plain data') };
}
