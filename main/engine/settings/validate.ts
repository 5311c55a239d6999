/** The subset of JSON Schema that SETTINGS_SCHEMA uses. */
interface Schema {
  type?: 'string' | 'number' | 'boolean' | 'object' | 'array';
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: readonly string[];
  additionalProperties?: boolean;
}

/** Checks `value` against the schema subset the settings use; returns the first problem, or undefined. */
export function validate(value: unknown, schema: Schema, at: string): string | undefined {
  if (schema.enum && !schema.enum.includes(value)) return `${at} must be one of ${schema.enum.join(', ')}`;
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return `${at} must be a string`;
      if (schema.minLength !== undefined && value.length < schema.minLength) return `${at} is too short`;
      return undefined;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${at} must be a number`;
      if (schema.minimum !== undefined && value < schema.minimum) return `${at} must be at least ${schema.minimum}`;
      if (schema.maximum !== undefined && value > schema.maximum) return `${at} must be at most ${schema.maximum}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${at} must be true or false`;
    case 'array': {
      if (!Array.isArray(value)) return `${at} must be a list`;
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${at} has too many items`;
      for (const [i, item] of value.entries()) {
        const problem = schema.items && validate(item, schema.items, `${at}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${at} must be an object`;
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) if (!(key in record)) return `${at}.${key} is missing`;
      for (const [key, v] of Object.entries(record)) {
        const sub = schema.properties?.[key];
        if (!sub) {
          if (schema.additionalProperties === false) return `${at}.${key} is not a known key`;
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
