import type { FieldInstruction } from '../changes/field-instructions.js';

/** An OpenAPI schema object, loosely typed. */
export type SchemaNode = Record<string, any>;

/** Resolves `$ref`s of the document's components. */
export type Resolve = (schema: SchemaNode | undefined) => SchemaNode | undefined;

export function resolverFor(document: { components?: { schemas?: Record<string, unknown> } }): Resolve {
  return (schema) => {
    let current = schema;
    for (let i = 0; i < 8 && current && typeof current.$ref === 'string'; i++) {
      const name = /^#\/components\/schemas\/(.+)$/.exec(current.$ref)?.[1];
      current = name
        ? (document.components?.schemas?.[decodeURIComponent(name)] as SchemaNode | undefined)
        : undefined;
    }
    return current;
  };
}

/** The object schemas a schema stands for: itself, its `allOf` members, an array's items. */
function objectSchemas(schema: SchemaNode | undefined, resolve: Resolve): SchemaNode[] {
  const s = resolve(schema);
  if (!s) return [];
  if (Array.isArray(s.allOf)) return s.allOf.flatMap((m: SchemaNode) => objectSchemas(m, resolve));
  if (s.type === 'array' || s.items) return objectSchemas(s.items, resolve);
  return [s];
}

/** The resource schemas of a body schema: the items of its collection properties, or itself. */
export function resourceSchemas(
  schema: SchemaNode | undefined,
  collections: readonly string[],
  resolve: Resolve,
): SchemaNode[] {
  const found: SchemaNode[] = [];
  const selves: SchemaNode[] = [];
  for (const s of objectSchemas(schema, resolve)) {
    let matched = false;
    for (const key of collections) {
      const prop = resolve(s.properties?.[key]);
      if (prop && (prop.type === 'array' || prop.items)) {
        found.push(...objectSchemas(prop.items, resolve));
        matched = true;
      }
    }
    if (!matched) selves.push(s);
  }
  return found.length > 0 ? found : selves;
}

function parentsOf(root: SchemaNode, path: string, resolve: Resolve): { parents: SchemaNode[]; key: string } {
  const segments = path.split('.');
  const key = segments.pop()!;
  let level = [root];
  for (const segment of segments)
    level = level.flatMap((s) => objectSchemas(s.properties?.[segment], resolve));
  return { parents: level, key };
}

function setRequired(schema: SchemaNode, key: string, present: boolean, replaces?: string): void {
  const required: string[] = Array.isArray(schema.required) ? schema.required : [];
  const at = required.indexOf(replaces ?? key);
  if (replaces !== undefined) {
    if (at >= 0) required[at] = key;
    return;
  }
  if (!present && at >= 0) required.splice(at, 1);
  if (required.length === 0) delete schema.required;
}

/**
 * Turns a resource schema of a version into the version before's, per the change's field
 * instructions (in place): renamed properties get their old names, added ones go, removed ones
 * come back (with their documented schema), changed ones get their old schema when documented.
 */
export function migrateSchemaDown(
  resource: SchemaNode,
  instructions: readonly FieldInstruction[],
  resolve: Resolve,
  removedNote: string,
): void {
  for (const ins of [...instructions].reverse()) {
    switch (ins.kind) {
      case 'renamed': {
        const { parents, key } = parentsOf(resource, ins.to, resolve);
        const oldKey = ins.from.split('.').pop()!;
        for (const p of parents) {
          if (!p.properties || !(key in p.properties)) continue;
          p.properties = Object.fromEntries(
            Object.entries(p.properties).map(([k, v]) => (k === key ? [oldKey, v] : [k, v])),
          );
          setRequired(p, oldKey, true, key);
        }
        break;
      }
      case 'added': {
        const { parents, key } = parentsOf(resource, ins.name, resolve);
        for (const p of parents) {
          if (p.properties) delete p.properties[key];
          setRequired(p, key, false);
        }
        break;
      }
      case 'removed': {
        const { parents, key } = parentsOf(resource, ins.name, resolve);
        for (const p of parents) {
          p.properties ??= {};
          p.properties[key] = { ...ins.schema, description: removedNote };
        }
        break;
      }
      case 'changed': {
        if (!ins.oldSchema) break;
        const { parents, key } = parentsOf(resource, ins.name, resolve);
        for (const p of parents) if (p.properties && key in p.properties) p.properties[key] = ins.oldSchema;
        break;
      }
    }
  }
}
