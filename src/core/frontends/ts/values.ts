// The values the static evaluator produces: plain data, objects and arrays that remember the
// syntax they came from (for ranges), `Unresolved` (what could not be known, and why) and host
// values a front end gives meaning to. Pure data and helpers; no evaluation here.

import type * as TS from 'typescript';

export interface Unresolved {
  kind: 'unresolved';
  /** The innermost expression that could not be resolved. */
  node: TS.Node;
  reason: string;
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

/** Converts to plain data (numbers, strings, booleans, null, arrays, records), or says what is unknown. */
export function toPlain(
  value: Value,
  evaluator: { unresolved(node: TS.Node, reason: string): Unresolved },
  at: TS.Node,
): { ok: true; value: unknown } | { ok: false; unresolved: Unresolved } {
  if (isUnresolved(value)) return { ok: false, unresolved: value };
  if (typeof value !== 'object' || value === null) return { ok: true, value };
  if (isArrayValue(value)) {
    const out: unknown[] = [];
    for (const item of value.items) {
      const converted = toPlain(item.value, evaluator, item.node);
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
      const converted = toPlain(prop.value(), evaluator, prop.valueNode);
      if (!converted.ok) return converted;
      out[prop.key] = converted.value;
    }
    return { ok: true, value: out };
  }
  return { ok: false, unresolved: evaluator.unresolved(at, value.kind === 'function' ? 'is a function, not data' : 'is not plain data') };
}
