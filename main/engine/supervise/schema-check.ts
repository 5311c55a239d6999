import fs from 'node:fs';

/** The part of JSON Schema that detached/state.schema.json uses (supervisor.py checks the same subset). */
interface Schema {
  type: 'integer' | 'string' | 'array' | 'object';
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  minimum?: number;
  minItems?: number;
}

function isType(value: unknown, type: Schema['type']): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === type;
}

/** What in `value` breaks `schema`, in words (none when it matches). */
export function checkSchema(value: unknown, schema: Schema, where = 'state'): string[] {
  if (!isType(value, schema.type)) return [`${where} is not ${/^[aeiou]/.test(schema.type) ? 'an' : 'a'} ${schema.type}`];
  const errors: string[] = [];
  if (schema.minimum !== undefined && (value as number) < schema.minimum) errors.push(`${where} is below ${schema.minimum}`);
  if (Array.isArray(value)) {
    if (value.length < (schema.minItems ?? 0)) errors.push(`${where} has fewer than ${schema.minItems} items`);
    value.forEach((item, i) => errors.push(...checkSchema(item, schema.items!, `${where}[${i}]`)));
  } else if (schema.type === 'object') {
    const fields = value as Record<string, unknown>;
    const props = schema.properties ?? {};
    for (const key of schema.required ?? []) if (!(key in fields)) errors.push(`${where}.${key} is missing`);
    if (schema.additionalProperties === false) for (const key of Object.keys(fields)) if (!(key in props)) errors.push(`${where}.${key} is not in the schema`);
    for (const [key, sub] of Object.entries(props)) if (key in fields) errors.push(...checkSchema(fields[key], sub, `${where}.${key}`));
  }
  return errors;
}

/** What in `value` breaks the schema in `file` (an unreadable schema is one error). */
export function schemaErrors(value: unknown, file: string): string[] {
  try {
    return checkSchema(value, JSON.parse(fs.readFileSync(file, 'utf8')) as Schema);
  } catch (error) {
    return [`the schema ${file} could not be read (${(error as Error).message})`];
  }
}
