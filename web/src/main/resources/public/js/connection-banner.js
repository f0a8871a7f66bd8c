// While the API cannot be reached: one banner above the page (an alert, so it is said once), what the page shows
// greyed and described by the banner as out of date, and a probe every few seconds. Views' own refreshes fail
// quietly meanwhile (showError leaves such failures to the banner). When any request gets an answer again, the
// banner goes and onBack lets the view load fresh data.
import { connection, get } from './api.js';
import { h, icon } from './dom.js';
import { when } from './format.js';

const PROBE_MS = 5000;

/** slot: where the banner goes; main(): the element to mark stale (null while signed out); onBack(): on recovery. */
export function watchConnection({ slot, main, onBack }) {
  let banner = null;
  let probe = null;

  const words = c => {
    const status = c.lastError && c.lastError.status ? ` (it answers HTTP ${c.lastError.status})` : '';
    const since = c.lastContact ? `What you see was read by ${when(c.lastContact, { seconds: true })} and may be out of date. ` : '';
    return [h('strong', null, `The console cannot reach Mailroom${status}.`), ' ', since,
      `It tries again every ${PROBE_MS / 1000} seconds and catches up by itself.`];
  };

  const show = c => {
    const el = main();
    if (!el) return;
    if (!banner) {
      banner = h('div', { class: 'conn-banner', id: 'connection-banner', role: 'alert' }, icon('offline'), h('div', null, words(c)));
      slot().append(banner);
      el.classList.add('stale');
      el.setAttribute('aria-describedby', 'connection-banner');
      probe = setInterval(() => get('/api/me').catch(() => { /* still away: the banner stays */ }), PROBE_MS);
    }
    banner.dataset.failures = c.failures;
  };

  const hide = () => {
    clearInterval(probe);
    probe = null;
    banner?.remove();
    banner = null;
    const el = main();
    if (el) {
      el.classList.remove('stale');
      el.removeAttribute('aria-describedby');
    }
  };

  connection.listen(c => {
    if (!c.reachable) show(c);
    else if (banner) {
      hide();
      onBack();
    }
  });
  return { reset: hide };
}
