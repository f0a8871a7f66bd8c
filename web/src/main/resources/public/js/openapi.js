// Reading the served OpenAPI 3.1 document (GET /api/openapi.json) for the API reference page: operations in
// tag order, and schemas flattened into rows of fields ("smtp.host", "recipients[].email").

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const MAX_DEPTH = 5;

/** The node a local "#/components/…" reference points at. */
export function resolve(doc, node) {
  let n = node;
  for (let i = 0; n && n.$ref && i < 10; i++) {
    n = n.$ref.slice(2).split('/').map(t => t.replaceAll('~1', '/').replaceAll('~0', '~')).reduce((o, k) => o?.[k], doc);
  }
  return n || {};
}

/** Every operation of paths, grouped by its first tag, in the order the document lists its tags. */
export function operationsByTag(doc) {
  const groups = new Map((doc.tags || []).map(t => [t.name, { tag: t, ops: [] }]));
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const name = (op.tags && op.tags[0]) || 'Other';
      if (!groups.has(name)) groups.set(name, { tag: { name }, ops: [] });
      const parameters = [...(item.parameters || []), ...(op.parameters || [])].map(p => resolve(doc, p));
      groups.get(name).ops.push({ method, path, op, parameters });
    }
  }
  return [...groups.values()].filter(g => g.ops.length);
}

/** "string (date-time) | null", "integer", "array of object", "draft | queued | …". */
export function typeOf(doc, schema) {
  const s = resolve(doc, schema);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.oneOf || s.anyOf) return (s.oneOf || s.anyOf).map(x => typeOf(doc, x)).join(' | ');
  if (s.allOf) return 'object';
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (s.enum) return [s.enum.join(' | '), ...types.filter(t => t === 'null')].join(' | ');
  const named = types.map(t => {
    if (t === 'array') return `array of ${s.items ? typeOf(doc, s.items) : 'any'}`;
    if (t === 'string' && s.format) return `string (${s.format})`;
    return t;
  });
  return named.join(' | ') || 'any';
}

/** What a schema adds in words: its description, default, limits. */
function note(s, outer) {
  const parts = [];
  const d = (outer && outer.description) || s.description;
  if (d) parts.push(d);
  if (s.default !== undefined) parts.push(`Default ${JSON.stringify(s.default)}.`);
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`${s.minimum ?? '…'}–${s.maximum ?? '…'}.`);
  if (s.maxLength !== undefined) parts.push(`At most ${s.maxLength} characters.`);
  return parts.join(' ');
}

/** The object parts of a schema (itself, its allOf members, the object branch of a oneOf with null). */
function objectParts(doc, schema) {
  const s = resolve(doc, schema);
  if (s.allOf) return s.allOf.flatMap(x => objectParts(doc, x));
  if (s.oneOf) return s.oneOf.flatMap(x => objectParts(doc, x));
  return s.properties ? [s] : [];
}

/**
 * Rows {name, type, required, note} for every field of an object schema, nested fields by their path; an
 * array of objects as name[].field. A schema that is not an object gives none.
 */
export function fields(doc, schema, prefix = '', depth = 0) {
  if (depth > MAX_DEPTH) return [];
  const rows = [];
  for (const part of objectParts(doc, schema)) {
    const required = new Set(part.required || []);
    for (const [key, raw] of Object.entries(part.properties)) {
      const s = resolve(doc, raw);
      const name = prefix + key;
      rows.push({ name, type: typeOf(doc, raw), required: required.has(key), note: note(s, raw) });
      const items = s.items && resolve(doc, s.items);
      if (items && objectParts(doc, items).length) rows.push(...fields(doc, items, `${name}[].`, depth + 1));
      else if (objectParts(doc, s).length) rows.push(...fields(doc, s, `${name}.`, depth + 1));
    }
  }
  return rows;
}

/** The roles an operation names, or [] for one that needs no API key. */
export const rolesOf = op => op['x-roles'] || [];
