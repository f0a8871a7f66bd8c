// Form fields with a label, a hint and a slot for the server's validation message (problem+json errors).
import { h } from './dom.js';

let seq = 0;

/** A labelled field; name is the API field the server names in its errors (e.g. "smtp.host"). */
export function field(text, input, opts = {}) {
  const id = input.id || `f${++seq}`;
  input.id = id;
  const el = h('div', { class: `field${opts.full ? ' full' : ''}`, 'data-field': opts.name || input.name || '' },
    h('label', { for: id }, text), input,
    opts.hint ? h('span', { class: 'hint' }, opts.hint) : null,
    h('span', { class: 'field-error', hidden: true }));
  return el;
}

export function clearErrors(root) {
  for (const e of root.querySelectorAll('.field-error')) { e.textContent = ''; e.hidden = true; }
  for (const i of root.querySelectorAll('.invalid')) i.classList.remove('invalid');
}

/**
 * Puts each {field, message} next to its input; returns the errors no field claimed. A field matches
 * its own name or a prefix ("window.days[2]" lands on "window.days").
 */
export function showErrors(root, errors) {
  const rest = [];
  const fields = [...root.querySelectorAll('[data-field]')].filter(f => f.dataset.field);
  for (const e of errors || []) {
    const f = fields.find(x => e.field === x.dataset.field || (e.field || '').startsWith(`${x.dataset.field}[`)
      || (e.field || '').startsWith(`${x.dataset.field}.`));
    if (!f) { rest.push(e); continue; }
    const slot = f.querySelector('.field-error');
    slot.textContent = slot.textContent ? `${slot.textContent}; ${e.message}` : capital(e.message);
    slot.hidden = false;
    f.querySelector('.input')?.classList.add('invalid');
  }
  const first = root.querySelector('.invalid');
  if (first) first.focus();
  return rest;
}

const capital = s => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

export const input = (attrs) => h('input', { class: 'input', ...attrs });
export const textarea = (attrs) => h('textarea', { class: 'input', ...attrs });
export const select = (attrs, options) => h('select', { class: 'input', ...attrs },
  options.map(([value, text]) => h('option', { value }, text)));
