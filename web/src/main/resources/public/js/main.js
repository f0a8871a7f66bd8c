// The console: sign-in with an API key (kept in sessionStorage for this tab), then a hash router over
// the pages. What a user sees follows the role of the key (GET /api/me).
import { get, session, setUnauthorizedHandler, ApiError } from './api.js';
import { badge, fill, h, icon, showError, toast } from './dom.js';
import { mayLeave, unsaved } from './leave-guard.js';
import { state } from './state.js';
import * as apiReference from './views/api-reference.js';
import * as audit from './views/audit.js';
import * as campaigns from './views/campaigns.js';
import * as newCampaign from './views/campaign-new.js';
import * as campaign from './views/campaign.js';
import * as ops from './views/ops.js';
import * as senders from './views/senders.js';
import * as suppressions from './views/suppressions.js';

const app = document.getElementById('app');

const ROUTES = [
  { re: /^\/campaigns\/new$/, view: newCampaign, nav: 'new', role: 'operator' },
  { re: /^\/campaigns\/(\d+)\/edit$/, view: newCampaign, nav: 'campaigns', role: 'operator' },
  { re: /^\/campaigns\/(\d+)$/, view: campaign, nav: 'campaigns' },
  { re: /^\/campaigns$/, view: campaigns, nav: 'campaigns' },
  { re: /^\/ops$/, view: ops, nav: 'ops' },
  { re: /^\/senders\/(new|\d+)$/, view: senders, nav: 'senders', role: 'admin', edit: true },
  { re: /^\/senders$/, view: senders, nav: 'senders', role: 'admin' },
  { re: /^\/suppressions$/, view: suppressions, nav: 'suppressions' },
  { re: /^\/audit$/, view: audit, nav: 'audit', role: 'admin' },
  { re: /^\/api$/, view: apiReference, nav: 'api' },
];

const NAV = [
  { id: 'campaigns', href: '#/campaigns', text: 'Campaigns', icon: 'campaigns' },
  { id: 'new', href: '#/campaigns/new', text: 'New campaign', icon: 'plus', role: 'operator' },
  { id: 'ops', href: '#/ops', text: 'Ops dashboard', icon: 'ops' },
  { id: 'senders', href: '#/senders', text: 'Senders', icon: 'senders', role: 'admin' },
  { id: 'suppressions', href: '#/suppressions', text: 'Suppressions', icon: 'suppressions' },
  { id: 'audit', href: '#/audit', text: 'Audit', icon: 'info', role: 'admin' },
  { id: 'api', href: '#/api', text: 'API reference', icon: 'code' },
];

let cleanup = null;
let main = null;
let nav = null;

function signIn(message) {
  stopView();
  main = null;
  const key = h('input', { class: 'input', id: 'api-key', name: 'api_key', type: 'password', autocomplete: 'current-password',
    placeholder: 'mr_…', required: true, autofocus: true, spellcheck: 'false' });
  const err = h('div', { class: 'field-error', role: 'alert' }, message || '');
  const submit = h('button', { class: 'btn btn-primary btn-block', type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'stack', id: 'signin-form' },
    h('div', { class: 'field' }, h('label', { for: 'api-key' }, 'API key'), key,
      h('span', { class: 'hint' }, 'Ask an admin for a key. It stays in this browser tab only and is forgotten when you close it.')),
    err, submit);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    submit.disabled = true;
    err.textContent = '';
    try {
      const me = await get('/api/me', { key: key.value.trim() });
      session.save(key.value.trim());
      start(me);
    } catch (ex) {
      err.textContent = ex instanceof ApiError && ex.status === 401
        ? 'This key was not recognised. Check it and try again.'
        : (ex.problem?.detail || ex.message);
      submit.disabled = false;
      key.focus();
    }
  });
  fill(app, h('div', { class: 'signin' },
    h('div', { class: 'card signin-card' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, icon('campaigns')), 'Mailroom'),
      h('h1', null, 'Sign in'),
      h('p', { class: 'muted' }, 'Email campaigns for your CRM: write, queue, and watch them go out.'),
      form)));
  document.title = 'Sign in · Mailroom';
  key.focus();
}

function shell(me) {
  nav = h('nav', { class: 'nav', 'aria-label': 'Main' },
    NAV.filter(n => !n.role || state.can(n.role)).map(n =>
      h('a', { href: n.href, 'data-nav': n.id }, icon(n.icon), n.text)));
  main = h('main', { class: 'main', id: 'main' });
  const signOut = h('button', { class: 'btn-link small', type: 'button', id: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    if (!(await mayLeave())) return;
    session.clear();
    state.me = null;
    history.replaceState(null, '', '#/campaigns');
    signIn();
  });
  fill(app, h('div', { class: 'shell' },
    h('aside', { class: 'sidebar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, icon('campaigns')), h('span', null, 'Mailroom')),
      nav,
      h('div', { class: 'who' },
        h('div', { class: 'who-name', title: me.name }, me.name),
        h('div', { class: 'who-row' }, badge('role', me.role), signOut))),
    main));
}

function stopView() {
  if (typeof cleanup === 'function') {
    try { cleanup(); } catch (e) { console.warn('cleanup failed', e); }
  }
  cleanup = null;
}

async function route() {
  if (!state.me || !main) return;
  stopView();
  const path = (location.hash.replace(/^#/, '') || '/campaigns').replace(/\?.*$/, '');
  const query = new URLSearchParams(location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?')) : '');
  let match = null;
  const r = ROUTES.find(x => (match = x.re.exec(path)));
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', r && a.dataset.nav === r.nav);
  window.scrollTo(0, 0);
  if (!r) {
    location.replace('#/campaigns');
    return;
  }
  if (r.role && !state.can(r.role)) {
    fill(main, h('div', { class: 'card' }, h('div', { class: 'empty' }, icon('suppressions'),
      h('h3', null, 'Not available with your key'),
      h('p', null, `This page needs the ${r.role} role; your key has ${state.me.role}.`))));
    return;
  }
  fill(main);
  try {
    cleanup = await r.view.render(main, { id: match[1], query, edit: r.edit });
  } catch (e) {
    showError(e, 'This page could not be loaded');
  }
}

function start(me) {
  state.me = me;
  shell(me);
  if (!location.hash || location.hash === '#' || location.hash === '#/') history.replaceState(null, '', '#/campaigns');
  route();
}

setUnauthorizedHandler(() => {
  if (!state.me) return;
  session.clear();
  state.me = null;
  signIn('Your key is no longer accepted. Sign in again.');
});

// Leaving unsaved work asks first. A link is held before it navigates; any other hash change (back,
// forward, a typed address) is undone while the question is open, and redone if the user agrees.
document.addEventListener('click', async e => {
  const a = e.target.closest && e.target.closest('a[href^="#"]');
  if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || !unsaved()) return;
  e.preventDefault();
  if (await mayLeave()) location.hash = a.getAttribute('href');
}, true);
window.addEventListener('hashchange', async e => {
  if (unsaved()) {
    const target = location.hash;
    history.replaceState(null, '', new URL(e.oldURL).hash || '#/campaigns');
    if (await mayLeave()) location.hash = target;
    return;
  }
  route();
});
window.addEventListener('unhandledrejection', e => {
  showError(e.reason);
  e.preventDefault();
});

async function boot() {
  const key = session.key();
  if (!key) return signIn();
  try {
    start(await get('/api/me'));
  } catch (e) {
    if (e.status === 401) {
      session.clear();
      signIn('Your key is no longer accepted. Sign in again.');
    } else {
      toast('error', 'Cannot reach Mailroom', e.problem?.detail || e.message);
      signIn();
    }
  }
}

boot();
