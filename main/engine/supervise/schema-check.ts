import fs from 'node:fs';

type JsonType = 'integer' | 'string' | 'array' | 'object' | 'null';

/** The part of JSON Schema that detached/state.schema.json uses (supervisor.py checks the same subset). */
export interface Schema {
  type: JsonType | JsonType[];
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  minimum?: number;
  minItems?: number;
}

function isType(value: unknown, type: JsonType): boolean {
  if (type === 'null') return value === null;
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === type;
}

/** What in `value` breaks `schema`, in words (none when it matches). */
export function checkSchema(value: unknown, schema: Schema, where = 'state'): string[] {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (!types.some((t) => isType(value, t))) return [`${where} is not ${types.map((t) => `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`).join(' or ')}`];
  const errors: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${where} is not one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
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

/** What in `value` breaks the schema in `file`, or its definition `def` (`$defs`); an unreadable schema is one error. */
export function schemaErrors(value: unknown, file: string, def?: string): string[] {
  let schema: Schema & { $defs?: Record<string, Schema> };
  try {
    schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Schema & { $defs?: Record<string, Schema> };
  } catch (error) {
    return [`the schema ${file} could not be read (${(error as Error).message})`];
  }
  if (def === undefined) return checkSchema(value, schema);
  const sub = schema.$defs?.[def];
  return sub ? checkSchema(value, sub, def) : [`the schema ${file} has no definition ${def}`];
}
