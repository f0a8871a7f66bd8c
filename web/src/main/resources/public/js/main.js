// The console: sign-in with an API key (kept in this browser until "Sign out", see api.js), then a hash router over
// the pages inside one shell — navigation (behind a menu button on narrow screens), the viewer's time zone, who is
// signed in, and a banner while the API cannot be reached. What a user sees follows the role of the key (GET
// /api/me). Each navigation sets the page title and moves focus to the new view's heading.
import { get, isUnreachable, session, setUnauthorizedHandler, ApiError } from './api.js';
import { watchConnection } from './connection-banner.js';
import { badge, fill, h, icon, showError, toast } from './dom.js';
import { mayLeave, unsaved } from './leave-guard.js';
import { watchTables } from './overflow.js';
import { state } from './state.js';
import { zoneButton } from './zone-setting.js';
import * as apiReference from './views/api-reference.js';
import * as audit from './views/audit.js';
import * as campaigns from './views/campaigns.js';
import * as newCampaign from './views/campaign-new.js';
import * as campaign from './views/campaign.js';
import * as keys from './views/keys.js';
import * as ops from './views/ops.js';
import * as senders from './views/senders.js';
import * as suppressions from './views/suppressions.js';

const app = document.getElementById('app');
const RETRY_MS = 5000;

// keepsInput: a form a person may be halfway through; never re-rendered behind their back (a new zone applies
// at the next visit).
const ROUTES = [
  { re: /^\/campaigns\/new$/, view: newCampaign, nav: 'new', role: 'operator', title: 'New campaign', keepsInput: true },
  { re: /^\/campaigns\/(\d+)\/edit$/, view: newCampaign, nav: 'campaigns', role: 'operator', title: 'Edit campaign', keepsInput: true },
  { re: /^\/campaigns\/(\d+)$/, view: campaign, nav: 'campaigns', title: 'Campaign' },
  { re: /^\/campaigns$/, view: campaigns, nav: 'campaigns', title: 'Campaigns' },
  { re: /^\/ops$/, view: ops, nav: 'ops', title: 'Ops dashboard' },
  { re: /^\/senders\/(new|\d+)$/, view: senders, nav: 'senders', role: 'admin', edit: true, title: 'Sender', keepsInput: true },
  { re: /^\/senders$/, view: senders, nav: 'senders', role: 'admin', title: 'Senders' },
  { re: /^\/suppressions$/, view: suppressions, nav: 'suppressions', title: 'Suppressions' },
  { re: /^\/audit$/, view: audit, nav: 'audit', role: 'admin', title: 'Audit' },
  { re: /^\/keys$/, view: keys, nav: 'keys', role: 'admin', title: 'API keys' },
  { re: /^\/api$/, view: apiReference, nav: 'api', title: 'API reference' },
];

const NAV = [
  { id: 'campaigns', href: '#/campaigns', text: 'Campaigns', icon: 'campaigns' },
  { id: 'new', href: '#/campaigns/new', text: 'New campaign', icon: 'plus', role: 'operator' },
  { id: 'ops', href: '#/ops', text: 'Ops dashboard', icon: 'ops' },
  { id: 'senders', href: '#/senders', text: 'Senders', icon: 'senders', role: 'admin' },
  { id: 'suppressions', href: '#/suppressions', text: 'Suppressions', icon: 'suppressions' },
  { id: 'audit', href: '#/audit', text: 'Audit', icon: 'info', role: 'admin' },
  { id: 'keys', href: '#/keys', text: 'API keys', icon: 'key', role: 'admin' },
  { id: 'api', href: '#/api', text: 'API reference', icon: 'code' },
];

// The current view: what stops it, what reloads its data (after the API came back), and whether it failed to load.
let current = { stop: null, refresh: null, failed: false, route: null };
let main = null;
let nav = null;
let slot = null;
let menu = null;
let routeSeq = 0;
let bootTimer = null;

const setTitle = text => { document.title = `${text} · Mailroom`; };

function signIn(message) {
  stopView();
  main = null;
  menu = null;
  const key = h('input', { class: 'input', id: 'api-key', name: 'api_key', type: 'password', autocomplete: 'current-password',
    required: true, autofocus: true, spellcheck: 'false', 'aria-describedby': 'api-key-hint' });
  const err = h('div', { class: 'field-error', role: 'alert' }, message || '');
  const submit = h('button', { class: 'btn btn-primary btn-block', type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'stack', id: 'signin-form' },
    h('div', { class: 'field' }, h('label', { for: 'api-key' }, 'API key'), key,
      h('span', { class: 'hint', id: 'api-key-hint' },
        'Ask an admin for a key. This browser keeps it, in every tab, until you sign out.')),
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
  fill(app, h('main', { class: 'signin' },
    h('div', { class: 'card signin-card' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, icon('campaigns')), 'Mailroom'),
      h('h1', null, 'Sign in'),
      h('p', { class: 'muted' }, 'Email campaigns for your CRM: write, queue, and watch them go out.'),
      form)));
  setTitle('Sign in');
  key.focus();
}

/** The signed-in key is fine but the API does not answer: wait for it rather than ask for the key again. */
function waitForApi() {
  clearTimeout(bootTimer);
  const retry = h('button', { class: 'btn btn-block', type: 'button', onclick: () => boot() }, 'Try now');
  fill(app, h('main', { class: 'signin' },
    h('div', { class: 'card signin-card', role: 'alert' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, icon('campaigns')), 'Mailroom'),
      h('h1', null, 'Cannot reach Mailroom'),
      h('p', { class: 'muted' }, `The console tries again every ${RETRY_MS / 1000} seconds; you stay signed in.`),
      retry)));
  setTitle('Cannot reach Mailroom');
  bootTimer = setTimeout(boot, RETRY_MS);
}

/**
 * The menu button of narrow screens: opens the panel, moves focus into it, closes on Escape, on a link (route
 * closes it), or when focus or a click goes elsewhere — a dialog opened from the menu (the time zone) aside.
 */
function menuFor(sidebar, button, panel) {
  const isOpen = () => sidebar.classList.contains('open');
  const elsewhere = el => !!el && !sidebar.contains(el) && !el.closest('dialog');
  const set = (open, focusButton) => {
    sidebar.classList.toggle('open', open);
    button.setAttribute('aria-expanded', String(open));
    if (open) panel.querySelector('a, button')?.focus();
    else if (focusButton) button.focus();
  };
  button.addEventListener('click', () => set(!isOpen(), false));
  sidebar.addEventListener('keydown', e => {
    if (e.key === 'Escape' && isOpen()) {
      e.preventDefault();
      set(false, true);
    }
  });
  sidebar.addEventListener('focusout', e => { if (isOpen() && elsewhere(e.relatedTarget)) set(false, false); });
  return {
    close: () => { if (isOpen()) set(false, false); },
    clicked: target => { if (isOpen() && elsewhere(target)) set(false, false); },
  };
}

function shell(me) {
  nav = h('nav', { class: 'nav', 'aria-label': 'Main' },
    NAV.filter(n => !n.role || state.can(n.role)).map(n =>
      h('a', { href: n.href, 'data-nav': n.id }, icon(n.icon), h('span', null, n.text))));
  main = h('main', { class: 'main', id: 'main' });
  slot = h('div', { class: 'conn-slot', id: 'connection-slot' });
  const signOut = h('button', { class: 'btn-link small', type: 'button', id: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    if (!(await mayLeave())) return;
    session.clear();
    signedOut();
  });
  const zone = zoneButton(() => { if (current.route && !current.route.keepsInput) route(); });
  const menuButton = h('button', { class: 'menu-button', id: 'menu-button', type: 'button', 'aria-expanded': 'false',
    'aria-controls': 'sidebar-panel' }, icon('menu'), h('span', null, 'Menu'));
  const panel = h('div', { class: 'sidebar-panel', id: 'sidebar-panel' },
    nav,
    h('div', { class: 'who' },
      zone.button,
      h('div', { class: 'who-name', title: me.name }, me.name),
      h('div', { class: 'who-row' }, badge('role', me.role), signOut)));
  const sidebar = h('header', { class: 'sidebar' },
    h('div', { class: 'sidebar-top' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, icon('campaigns')), h('span', null, 'Mailroom')),
      menuButton),
    panel);
  const skip = h('a', { class: 'skip-link', href: '#main', onclick: e => { e.preventDefault(); focusHeading(true); } }, 'Skip to content');
  fill(app, skip, h('div', { class: 'shell' }, sidebar, h('div', { class: 'workspace' }, slot, main)));
  menu = menuFor(sidebar, menuButton, panel);
}

function signedOut(message) {
  state.me = null;
  connectionBanner.reset();
  history.replaceState(null, '', '#/campaigns');
  signIn(message);
}

function stopView() {
  if (typeof current.stop === 'function') {
    try { current.stop(); } catch (e) { console.warn('cleanup failed', e); }
  }
  current = { stop: null, refresh: null, failed: false, route: null };
}

/**
 * Focus on the view's heading, so a screen reader starts at the new page and the keyboard continues from there;
 * not when the person already moved on inside the view (always, for the skip link).
 */
function focusHeading(always) {
  const h1 = main && main.querySelector('h1');
  if (!h1) return;
  const active = document.activeElement;
  if (!always && active && active !== document.body && main.contains(active)) return;
  h1.tabIndex = -1;
  h1.focus({ preventScroll: !always });
}

/** A view's render returns nothing, a cleanup function, or {stop, refresh}. */
function adopt(r, result) {
  current.route = r;
  if (typeof result === 'function') current.stop = result;
  else if (result && typeof result === 'object') {
    current.stop = result.stop || null;
    current.refresh = result.refresh || null;
  }
}

/** Stops a view that finished loading after the person had already gone elsewhere. */
function discard(result) {
  const stop = typeof result === 'function' ? result : result?.stop;
  if (typeof stop === 'function') {
    try { stop(); } catch (e) { console.warn('cleanup failed', e); }
  }
}

async function route() {
  if (!state.me || !main) return;
  stopView();
  menu?.close();
  const seq = ++routeSeq;
  const path = (location.hash.replace(/^#/, '') || '/campaigns').replace(/\?.*$/, '');
  const query = new URLSearchParams(location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?')) : '');
  let match = null;
  const r = ROUTES.find(x => (match = x.re.exec(path)));
  for (const a of nav.querySelectorAll('a')) {
    const on = !!r && a.dataset.nav === r.nav;
    a.classList.toggle('active', on);
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  window.scrollTo(0, 0);
  if (!r) {
    location.replace('#/campaigns');
    return;
  }
  if (r.role && !state.can(r.role)) {
    fill(main, h('div', { class: 'card' }, h('div', { class: 'empty' }, icon('suppressions'),
      h('h1', { class: 'empty-title' }, 'Not available with your key'),
      h('p', null, `This page needs the ${r.role} role; your key has ${state.me.role}.`))));
    setTitle('Not available');
    focusHeading();
    return;
  }
  setTitle(r.title);
  // Each visit renders into its own element: a view still loading when the person moves on fills a detached one.
  const root = h('div', { class: 'view' });
  fill(main, root);
  let result = null;
  try {
    result = await r.view.render(root, { id: match[1], query, edit: r.edit });
  } catch (e) {
    if (seq !== routeSeq) return;
    current.route = r;
    current.failed = true;
    fill(root, h('div', { class: 'card' }, h('div', { class: 'empty' }, icon('warn'),
      h('h1', { class: 'empty-title' }, 'This page could not be loaded'),
      h('p', null, isUnreachable(e) ? 'Mailroom cannot be reached; the page loads by itself when it answers again.'
        : (e.problem?.detail || e.message)))));
    setTitle('Not loaded');
    focusHeading();
    return;
  }
  if (seq !== routeSeq) {
    discard(result);
    return;
  }
  adopt(r, result);
  const h1 = main.querySelector('h1');
  if (document.title === `${r.title} · Mailroom` && h1) setTitle(h1.textContent.trim());
  focusHeading();
}

/** The API answers again: a view that failed to load loads now; others read their data afresh. */
function back() {
  if (!state.me || !main) return;
  if (current.failed) route();
  else if (typeof current.refresh === 'function') Promise.resolve(current.refresh()).catch(showError);
}

const connectionBanner = watchConnection({ slot: () => slot, main: () => (state.me ? main : null), onBack: back });

function start(me) {
  clearTimeout(bootTimer);
  state.me = me;
  shell(me);
  if (!location.hash || location.hash === '#' || location.hash === '#/') history.replaceState(null, '', '#/campaigns');
  route();
}

setUnauthorizedHandler(() => {
  if (!state.me) return;
  session.clear();
  signedOut('Your key is no longer accepted. Sign in again.');
});

// Another tab signed out (or in): follow it.
window.addEventListener('storage', e => {
  if (e.key !== session.KEY && e.key !== null) return;
  if (!session.key() && state.me) signedOut('You signed out in another tab.');
  else if (session.key() && !state.me) boot();
});

// Leaving unsaved work asks first. A link is held before it navigates; any other hash change (back,
// forward, a typed address) is undone while the question is open, and redone if the user agrees.
document.addEventListener('click', async e => {
  const a = e.target.closest && e.target.closest('a[href^="#/"]'); // routes only: not the skip link (#main)
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
document.addEventListener('click', e => menu?.clicked(e.target));
window.addEventListener('unhandledrejection', e => {
  showError(e.reason);
  e.preventDefault();
});
watchTables(app);

async function boot() {
  clearTimeout(bootTimer);
  const key = session.key();
  if (!key) return signIn();
  try {
    start(await get('/api/me'));
  } catch (e) {
    if (e.status === 401) {
      session.clear();
      signIn('Your key is no longer accepted. Sign in again.');
    } else if (isUnreachable(e)) {
      waitForApi();
    } else {
      toast('error', 'Cannot reach Mailroom', e.problem?.detail || e.message);
      signIn();
    }
  }
}

boot();
