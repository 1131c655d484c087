// Validates a layer's written parameters against its kind's schema: unknown keys, missing
// required ones, wrong types and out-of-range values all become diagnostics on the exact value.

import { closestMatch } from '../suggest';
import type { LayerKindDef, ParamSchema } from '../kinds/types';
import type { Diagnostic, LayerSpec, ParamEntry } from '../types';

export interface ParamValidation {
  attrs: Record<string, unknown>;
  ok: boolean;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null) return 'null';
  return JSON.stringify(value);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Normalizes and checks one value; returns an error message or the normalized value. */
function checkValue(schema: ParamSchema, value: unknown): { value?: unknown; error?: string } {
  const min = schema.min ?? -Infinity;
  const intMessage = min >= 1 ? 'a positive integer' : min >= 0 ? 'a non-negative integer' : 'an integer';
  const checkInt = (v: unknown): string | undefined => {
    if (!isInt(v)) return `${schema.name} must be ${intMessage}, got ${describe(v)}`;
    if (v < min) return `${schema.name} must be ${intMessage}, got ${v}`;
    return undefined;
  };
  switch (schema.type) {
    case 'int': {
      const error = checkInt(value);
      return error ? { error } : { value };
    }
    case 'pair':
    case 'pool-padding': {
      if (Array.isArray(value)) {
        if (value.length !== 2) return { error: `${schema.name} must be one integer or a pair [h, w], got ${value.length} values` };
        const error = checkInt(value[0]) ?? checkInt(value[1]);
        return error ? { error } : { value: [value[0], value[1]] };
      }
      const error = checkInt(value);
      return error
        ? {
            error:
              schema.type === 'pool-padding' && typeof value === 'string'
                ? `${schema.name} must be an integer or [h, w] here ('${value}' is only for conv2d)`
                : error,
          }
        : { value: [value, value] };
    }
    case 'padding': {
      if (value === 'same' || value === 'valid') return { value };
      if (typeof value === 'string') return { error: `padding must be an integer, [h, w], 'same' or 'valid', got '${value}'` };
      return checkValue({ ...schema, type: 'pair' }, value);
    }
    case 'output-size': {
      const items = Array.isArray(value) ? value : [value, value];
      if (items.length !== 2) return { error: `output_size must be one integer or a pair [h, w], got ${items.length} values` };
      for (const v of items) {
        if (v !== null && (!isInt(v) || v < 1))
          return { error: `output_size must be positive integers (or null to keep a dimension), got ${describe(v)}` };
      }
      return { value: items };
    }
    case 'scale': {
      const items = Array.isArray(value) ? value : [value, value];
      if (items.length !== 2 || items.some((v) => typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))) {
        return { error: `${schema.name} must be a positive number or a pair of them, got ${describe(value)}` };
      }
      return { value: items };
    }
    case 'bool':
      return typeof value === 'boolean' ? { value } : { error: `${schema.name} must be true or false, got ${describe(value)}` };
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { error: `${schema.name} must be a number, got ${describe(value)}` };
      if (schema.range && (value < schema.range[0] || value > schema.range[1])) {
        return { error: `${schema.name} must be in [${schema.range[0]}, ${schema.range[1]}], got ${value}` };
      }
      return { value };
    }
    case 'enum':
      return typeof value === 'string' && schema.values?.includes(value)
        ? { value }
        : { error: `${schema.name} must be one of ${schema.values?.map((v) => `'${v}'`).join(', ')}, got ${describe(value)}` };
  }
}

const defaults = new WeakMap<ParamSchema, unknown>();

/** The normalized default of a parameter (pairs as [h, w]), computed once per schema. */
function defaultValue(schema: ParamSchema): unknown {
  if (schema.default === undefined) return undefined;
  if (!defaults.has(schema)) defaults.set(schema, checkValue(schema, schema.default).value);
  const value = defaults.get(schema);
  // Pairs are arrays: hand out a copy so no layer can alter another's default.
  return Array.isArray(value) ? [...value] : value;
}

export function validateParams(layer: LayerSpec, def: LayerKindDef, diagnostics: Diagnostic[]): ParamValidation {
  const attrs: Record<string, unknown> = {};
  let ok = true;
  for (const entry of layer.params.values()) {
    const schema = def.params.find((p) => p.name === entry.key);
    if (!schema) {
      ok = false;
      diagnostics.push(unknownParam(layer, def, entry));
      continue;
    }
    const checked = checkValue(schema, entry.value);
    if (checked.error !== undefined) {
      ok = false;
      diagnostics.push({
        severity: 'error',
        code: 'param.invalid-value',
        message: `${layer.name}: ${checked.error}`,
        range: entry.valueRange,
        layer: layer.name,
      });
      continue;
    }
    attrs[entry.key] = checked.value;
  }
  for (const schema of def.params) {
    if (schema.name in attrs) continue;
    if (schema.required) {
      ok = false;
      diagnostics.push({
        severity: 'error',
        code: 'param.missing',
        message: `${layer.name}: ${def.kind} needs ${schema.name} (${schema.doc.replace(/\.$/, '')})`,
        range: layer.kindRange,
        layer: layer.name,
      });
      continue;
    }
    const value = defaultValue(schema);
    if (value !== undefined) attrs[schema.name] = value;
  }
  return { attrs, ok };
}

function unknownParam(layer: LayerSpec, def: LayerKindDef, entry: ParamEntry): Diagnostic {
  const suggestion = closestMatch(
    entry.key,
    def.params.map((p) => p.name),
  );
  const valid = def.params.map((p) => p.name).join(', ') || 'none';
  return {
    severity: 'error',
    code: 'param.unknown',
    message: suggestion
      ? `${layer.name}: ${def.kind} has no parameter '${entry.key}'; did you mean '${suggestion}'?`
      : `${layer.name}: ${def.kind} has no parameter '${entry.key}' (parameters: ${valid})`,
    range: entry.keyRange,
    layer: layer.name,
    fixes: suggestion
      ? [{ title: `Change to '${suggestion}'`, preferred: true, edits: [{ range: entry.keyRange, newText: suggestion }] }]
      : undefined,
  };
}
