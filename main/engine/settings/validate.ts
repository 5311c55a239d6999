import type { TextRef } from '../../../common/i18n/engine-text.js';

/** The subset of JSON Schema that SETTINGS_SCHEMA uses. */
interface Schema {
  type?: 'string' | 'number' | 'boolean' | 'object' | 'array';
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: readonly string[];
  additionalProperties?: boolean;
}

/** Checks `value` against the schema subset the settings use; returns the first problem (a text in either language), or undefined. */
export function validate(value: unknown, schema: Schema, at: string): TextRef | undefined {
  if (schema.enum && !schema.enum.includes(value)) return { key: 'mustBeOneOf', vars: { at, values: schema.enum.join(', ') } };
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return { key: 'mustBeString', vars: { at } };
      if (schema.minLength !== undefined && value.length < schema.minLength) return { key: 'tooShort', vars: { at } };
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return { key: 'tooLong', vars: { at } };
      return undefined;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { key: 'mustBeNumber', vars: { at } };
      if (schema.minimum !== undefined && value < schema.minimum) return { key: 'atLeast', vars: { at, min: schema.minimum } };
      if (schema.maximum !== undefined && value > schema.maximum) return { key: 'atMost', vars: { at, max: schema.maximum } };
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : { key: 'mustBeBoolean', vars: { at } };
    case 'array': {
      if (!Array.isArray(value)) return { key: 'mustBeList', vars: { at } };
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return { key: 'tooManyItems', vars: { at } };
      for (const [i, item] of value.entries()) {
        const problem = schema.items && validate(item, schema.items, `${at}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { key: 'mustBeObject', vars: { at } };
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) if (!(key in record)) return { key: 'keyMissing', vars: { at, key } };
      for (const [key, v] of Object.entries(record)) {
        const sub = schema.properties?.[key];
        if (!sub) {
          if (schema.additionalProperties === false) return { key: 'keyUnknown', vars: { at, key } };
          continue;
        }
        const problem = validate(v, sub, `${at}.${key}`);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
