// Small DOM helpers. Every piece of data reaches the page as text (never innerHTML), so names,
// subjects and SMTP replies cannot inject markup.
import { isUnreachable } from './api.js';

/**
 * h('div', {class: 'x', onclick: fn}, child, 'text', [more]) → an element. {style: {width: '40%'}} sets CSSOM
 * properties for computed values; there are no style attributes (the Content-Security-Policy refuses them).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'style') setStyle(el, v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function setStyle(el, props) {
  if (typeof props !== 'object') throw new TypeError('style takes an object of CSSOM properties, not a style attribute');
  Object.assign(el.style, props);
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes; children are SVG elements or text. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

const ICONS = {
  campaigns: 'M4 6h16v12H4z M4 7l8 6 8-6',
  plus: 'M12 5v14 M5 12h14',
  ops: 'M4 19V9 M10 19V5 M16 19v-7 M22 19H2',
  senders: 'M4 7h16v10H4z M8 11h8 M8 14h5',
  suppressions: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18 M5.6 5.6l12.8 12.8',
  info: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18 M12 11v5 M12 8h.01',
  warn: 'M12 3l10 18H2z M12 10v4 M12 17h.01',
  check: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18 M8 12l3 3 5-6',
  inbox: 'M3 13l3-8h12l3 8v6H3z M3 13h5l1 3h6l1-3h5',
  pause: 'M8 5v14 M16 5v14',
  play: 'M7 5l12 7-12 7z',
  stop: 'M6 6h12v12H6z',
  retry: 'M4 12a8 8 0 0 1 14-5.3 M18 3v4h-4 M20 12a8 8 0 0 1-14 5.3 M6 21v-4h4',
  send: 'M3 11l18-8-8 18-2-8z',
  upload: 'M12 16V4 M7 9l5-5 5 5 M4 20h16',
  code: 'M8 7l-5 5 5 5 M16 7l5 5-5 5 M14 4l-4 16',
  edit: 'M4 20h4L19 9l-4-4L4 16z M14 6l4 4',
  key: 'M15 4a5 5 0 1 0 0 10a5 5 0 1 0 0-10 M11.5 12.5L3 21 M6 18l2.5 2.5 M8.5 15.5L11 18 M15.5 8.5h.01',
  menu: 'M4 7h16 M4 12h16 M4 17h16',
  close: 'M6 6l12 12 M18 6L6 18',
  clock: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18 M12 7v5l3 2',
  copy: 'M9 9h11v11H9z M5 15H4V4h11v1',
  offline: 'M2 8.5a15 15 0 0 1 20 0 M5.5 12a10 10 0 0 1 13 0 M9 15.5a5 5 0 0 1 6 0 M12 19h.01 M3 3l18 18',
};

/** A stroked 24×24 icon. */
export function icon(name) {
  return s('svg', { class: 'ic', viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.8',
    'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true' },
  s('path', { d: ICONS[name] || ICONS.info }));
}

const LABELS = {
  completed_with_errors: 'Completed with errors', hard_bounce: 'Hard bounce',
};

export function label(status) {
  if (!status) return '';
  return LABELS[status] || status.charAt(0).toUpperCase() + status.slice(1).replaceAll('_', ' ');
}

/** A status badge: one colour per status across the console. */
export function badge(status, text) {
  return h('span', { class: `badge badge-${status}`, 'data-status': status }, text || label(status));
}

/** A stacked bar of sent / failed / uncertain / suppressed / sending over total. */
export function progressBar(c, large) {
  const total = Math.max(1, c.total || 0);
  const seg = (cls, n) => n > 0 ? h('span', { class: cls, style: { width: `${(100 * n / total).toFixed(2)}%` } }) : null;
  return h('div', { class: large ? 'bar bar-lg' : 'bar', role: 'progressbar', 'aria-label': 'Progress', 'aria-valuemin': 0,
    'aria-valuemax': 100, 'aria-valuenow': Math.round(c.progress_pct || 0) },
  seg('seg-sent', c.sent), seg('seg-failed', c.failed), seg('seg-uncertain', c.uncertain),
  seg('seg-suppressed', c.suppressed), seg('seg-sending', c.sending));
}

export function empty(iconName, title, text, action) {
  return h('div', { class: 'empty' }, icon(iconName), h('h3', null, title), text ? h('p', null, text) : null, action || null);
}

export function loading(text) {
  return h('div', { class: 'loading' }, h('span', { class: 'spinner' }), ' ', text || 'Loading…');
}

export function notice(kind, ...children) {
  const ic = { info: 'info', warn: 'warn', error: 'warn', ok: 'check' }[kind];
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, icon(ic), h('div', null, ...children));
}

/** A button that shows a spinner and stays disabled while its async action runs. */
export function actionButton(attrs, text, action) {
  const btn = h('button', { type: 'button', ...attrs }, text);
  btn.addEventListener('click', async () => {
    if (btn.disabled) return;
    const before = [...btn.childNodes];
    btn.disabled = true;
    btn.replaceChildren(h('span', { class: 'spinner' }), ...before);
    try {
      await action();
    } catch (e) {
      showError(e);
    } finally {
      if (btn.isConnected) {
        btn.replaceChildren(...before);
        btn.disabled = false;
        btn.dispatchEvent(new CustomEvent('settled'));
      }
    }
  });
  return btn;
}

// ---------- toasts and announcements ----------

/**
 * A toast; one already showing with the same kind and text is kept (its time restarted) rather than stacked, so a
 * failure that repeats on every refresh shows once.
 */
export function toast(kind, title, detail, ms = kind === 'error' ? 9000 : 4000) {
  const box = document.getElementById('toasts');
  const same = [...box.children].find(t => t.dataset.kind === kind && t.dataset.text === `${title}\n${detail || ''}`);
  if (same) {
    clearTimeout(same.timer);
    same.timer = setTimeout(() => same.remove(), ms);
    return same;
  }
  const t = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status', dataset: { kind, text: `${title}\n${detail || ''}` } },
    h('div', { class: 't-title' }, title),
    detail ? h('div', { class: 't-detail' }, detail) : null,
    h('button', { class: 'close', type: 'button', 'aria-label': 'Dismiss', onclick: () => t.remove() }, '×'));
  box.append(t);
  while (box.children.length > 4) box.firstElementChild.remove();
  t.timer = setTimeout(() => t.remove(), ms);
  return t;
}

/**
 * Shows an API problem (title + detail) or any other error as a toast. An API that cannot be reached is not
 * toasted: the shell's banner says so, once, for as long as it lasts.
 */
export function showError(e, title) {
  if (e && e.name === 'AbortError') return;
  if (isUnreachable(e)) return;
  if (e && e.problem) toast('error', title || e.problem.title || 'Request failed', e.problem.detail || `HTTP ${e.status}`);
  else toast('error', title || 'Something went wrong', (e && e.message) || String(e));
}

/**
 * Tells screen readers about a change that matters (a campaign's status moved) through the page's one polite live
 * region; counters that tick by themselves are not announced.
 */
export function announce(text) {
  const el = document.getElementById('announcer');
  if (!el) return;
  el.textContent = '';
  setTimeout(() => { el.textContent = text; }, 50); // a fresh text, so the same words twice are read twice
}

// ---------- confirm dialog ----------

/** A modal confirmation; resolves true when the user confirms. text is a sentence or elements. */
export function confirmDialog(title, text, confirmText, danger, cancelText = 'Keep it') {
  return new Promise(resolve => {
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': 'confirm-title' });
    const done = ok => { dlg.close(); dlg.remove(); resolve(ok); };
    dlg.append(
      h('div', { class: 'd-body' }, h('h2', { id: 'confirm-title' }, title), typeof text === 'string' ? h('p', null, text) : text || null),
      h('div', { class: 'd-foot' },
        h('button', { type: 'button', class: 'btn', onclick: () => done(false) }, cancelText),
        h('button', { type: 'button', class: danger ? 'btn btn-danger-solid' : 'btn btn-primary', 'data-confirm': '',
          onclick: () => done(true) }, confirmText)));
    dlg.addEventListener('cancel', e => { e.preventDefault(); done(false); });
    document.body.append(dlg);
    dlg.showModal();
  });
}

// ---------- tabs ----------

/** A tab bar: names are [id, text] pairs; pick(id) selects one and calls onPick(id). */
export function tabs(names, onPick) {
  const bar = h('div', { class: 'tabs', role: 'tablist' });
  const buttons = names.map(([id, text]) => h('button', { type: 'button', class: 'tab', role: 'tab', 'data-tab': id,
    'aria-selected': 'false', onclick: () => pick(id) }, text));
  const pick = id => {
    for (const b of buttons) b.setAttribute('aria-selected', String(b.dataset.tab === id));
    onPick(id);
  };
  bar.append(...buttons);
  return { bar, pick };
}
