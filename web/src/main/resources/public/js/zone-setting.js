// The viewer's time zone, chosen once: a button in the shell says which zone the viewer's own times are in and
// opens a dialog to follow the browser's zone, use UTC, or name another. Times that decide sending stay in
// each sender's zone whatever is chosen here.
import { h, icon } from './dom.js';
import { browserZone, chosenZone, isZone, setViewerZone, viewerZone, zoneLabel } from './format.js';

function zones() {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Europe/London', 'Europe/Berlin', 'Europe/Moscow', 'America/New_York'];
  }
}

/** The button (id zone-button); onChange() runs after the viewer picked another zone. */
export function zoneButton(onChange) {
  const text = h('span');
  const button = h('button', { class: 'zone-button', id: 'zone-button', type: 'button', 'aria-haspopup': 'dialog' }, icon('clock'), text);
  const say = () => { text.textContent = `Times in ${zoneLabel(viewerZone())}`; };
  say();
  button.addEventListener('click', () => openDialog(() => { say(); onChange(); }));
  return { button, refresh: say };
}

function openDialog(onSaved) {
  const browser = browserZone();
  const chosen = chosenZone();
  const current = !chosen ? 'browser' : chosen === 'UTC' ? 'UTC' : 'other';
  const radio = (value, label) => h('label', { class: 'radio' },
    h('input', { type: 'radio', name: 'zone', value, checked: value === current }), label);
  const other = h('input', { class: 'input', id: 'zone-other', list: 'zone-list', autocomplete: 'off', spellcheck: 'false',
    value: current === 'other' ? chosen : '', 'aria-describedby': 'zone-other-error' });
  const error = h('span', { class: 'field-error', id: 'zone-other-error' });
  const form = h('form', { class: 'stack', method: 'dialog' },
    h('fieldset', { class: 'fieldset' }, h('legend', null, 'Show my times in'),
      h('div', { class: 'radios' },
        radio('browser', `This browser's zone — ${zoneLabel(browser)} (${browser})`),
        radio('UTC', 'UTC'),
        radio('other', 'Another zone:')),
      h('div', { class: 'field mt-6' }, h('label', { for: 'zone-other', class: 'sr-only' }, 'Another zone'), other, error)),
    h('p', { class: 'hint' }, 'When mail goes out — a sender\'s window, why a campaign waits and until when, a scheduled start — '
      + 'is always shown in that sender\'s zone, with your time beside it. Remembered in this browser.'));
  const dlg = h('dialog', { class: 'dialog', id: 'zone-dialog', 'aria-labelledby': 'zone-title' },
    h('div', { class: 'd-body' }, h('h2', { id: 'zone-title' }, 'Your time zone'), form),
    h('div', { class: 'd-foot' },
      h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel'),
      h('button', { type: 'button', class: 'btn btn-primary', id: 'zone-save', onclick: () => save() }, 'Save')),
    h('datalist', { id: 'zone-list' }, zones().map(z => h('option', { value: z }))));
  const close = () => { dlg.close(); dlg.remove(); };
  const save = () => {
    const pick = form.querySelector('input[name=zone]:checked')?.value || 'browser';
    const zone = pick === 'other' ? other.value.trim() : pick;
    if (pick === 'other' && !isZone(zone)) {
      error.textContent = 'Not a zone this browser knows; pick one from the list, e.g. Europe/Moscow.';
      other.focus();
      return;
    }
    setViewerZone(pick === 'browser' ? null : zone);
    close();
    onSaved();
  };
  other.addEventListener('focus', () => { form.querySelector('input[value=other]').checked = true; });
  form.addEventListener('submit', e => { e.preventDefault(); save(); });
  dlg.addEventListener('cancel', e => { e.preventDefault(); close(); });
  document.body.append(dlg);
  dlg.showModal();
}
