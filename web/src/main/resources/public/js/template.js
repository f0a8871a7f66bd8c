// The server's placeholder rules (core Template): {{name}}, {{email}}, {{vars.key}}; unknown ones render
// empty; in HTML the substituted values are escaped. Used for the preview only.

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_.-]+)\s*\}\}/g;

const escapeHtml = s => s.replace(/[<>&"']/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' }[c]));

function lookup(key, person) {
  if (key === 'name') return person.name || '';
  if (key === 'email') return person.email || '';
  if (key.startsWith('vars.') && person.vars) return person.vars[key.slice(5)] ?? '';
  return '';
}

export function render(template, person, html) {
  if (!template) return '';
  return template.replace(PLACEHOLDER, (_, key) => {
    const v = String(lookup(key, person));
    return html ? escapeHtml(v) : v;
  });
}

/** The subject as a header: values lose CR/LF. */
export const renderSubject = (template, person) => render(template, person, false).replace(/[\r\n]+/g, ' ');

/** Placeholders used in the templates that the recipient list does not provide. */
export function unknownPlaceholders(templates, columns) {
  const known = new Set(['name', 'email', ...columns.map(c => `vars.${c}`)]);
  const missing = new Set();
  for (const t of templates) for (const m of (t || '').matchAll(PLACEHOLDER)) if (!known.has(m[1])) missing.add(m[1]);
  return [...missing];
}
