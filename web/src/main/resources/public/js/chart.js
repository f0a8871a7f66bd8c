// Sends per minute over a campaign's life, from GET /api/campaigns/{id}/rates (what the workers recorded,
// whoever watched): drawn as inline SVG bars — sent stacked with failed — at most BARS of them.
import { h, s } from './dom.js';
import { clock, viewerZone, zoneLabel } from './format.js';

const BARS = 60;
const MIN_BARS = 12;

/**
 * The endpoint's buckets (sparse: only those with attempts) as bars of sends per minute, gaps filled, from the
 * first attempt to now while the campaign may still send (else to its last attempt). Wider bars average their
 * buckets, so the scale stays "per minute" however long the campaign ran.
 */
export function rateSeries(rates, running) {
  const series = rates.series || [];
  if (!series.length) return [];
  const step = rates.bucket_seconds * 1000;
  const first = Date.parse(series[0].start);
  const last = running ? Math.max(Date.parse(rates.server_time), Date.parse(series[series.length - 1].start))
    : Date.parse(series[series.length - 1].start);
  const count = Math.floor((last - first) / step) + 1;
  const per = Math.max(1, Math.ceil(count / BARS));
  const minutes = (per * rates.bucket_seconds) / 60;
  const byStart = new Map(series.map(b => [Date.parse(b.start), b]));
  const out = [];
  for (let i = 0; i < count; i += per) {
    let sent = 0;
    let failed = 0;
    for (let j = i; j < Math.min(i + per, count); j++) {
      const b = byStart.get(first + j * step);
      if (b) { sent += b.sent; failed += b.failed; }
    }
    out.push({ minute: (first + i * step) / 60000, sent: sent / minutes, failed: failed / minutes });
  }
  // A short campaign still gets a readable axis: empty bars before it (running) or after it (finished).
  while (out.length < MIN_BARS) {
    if (running) out.unshift({ minute: out[0].minute - minutes, sent: 0, failed: 0 });
    else out.push({ minute: out[out.length - 1].minute + minutes, sent: 0, failed: 0 });
  }
  return out;
}

const rounded = v => (v >= 10 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(1));

const niceMax = v => {
  if (v <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map(k => k * p).find(k => k >= v);
};

/** An SVG bar chart of the series (sends per minute); width scales with its container. The last bar is "now" while running. */
export function rateChart(series, running) {
  const W = 600; const H = 180; const L = 34; const B = 22; const T = 10;
  const max = niceMax(Math.max(...series.map(x => x.sent + x.failed), 0));
  const bw = (W - L) / series.length;
  const y = v => H - B - (v / max) * (H - B - T);
  const fmt = m => clock(new Date(m * 60000)); // the viewer's zone, named under the axis
  const nodes = [];
  for (const v of [0, max / 2, max]) {
    nodes.push(s('line', { class: 'axis', x1: L, x2: W, y1: y(v), y2: y(v), 'stroke-dasharray': v ? '3 4' : null }));
    nodes.push(s('text', { x: L - 6, y: y(v) + 3, 'text-anchor': 'end' }, String(Math.round(v))));
  }
  series.forEach((x, i) => {
    const x0 = L + i * bw + bw * 0.18;
    const w = bw * 0.64;
    if (x.sent) nodes.push(s('rect', { x: x0, y: y(x.sent), width: w, height: y(0) - y(x.sent), rx: 2, fill: '#2e9e68' },
      s('title', null, `${fmt(x.minute)} — ${rounded(x.sent)} sent, ${rounded(x.failed)} failed per minute`)));
    if (x.failed) nodes.push(s('rect', { x: x0, y: y(x.sent + x.failed), width: w, height: y(x.sent) - y(x.sent + x.failed), rx: 2, fill: '#d9483b' }));
    const lastOne = i === series.length - 1;
    if ((i % 5 === 4 && i < series.length - 3) || lastOne) nodes.push(s('text', { x: lastOne ? W : x0 + w / 2, y: H - 6, 'text-anchor': lastOne ? 'end' : 'middle' }, lastOne && running ? 'now' : fmt(x.minute)));
  });
  const zone = zoneLabel(viewerZone());
  nodes.push(s('text', { x: 0, y: H - 6, 'text-anchor': 'start', class: 'chart-zone' }, zone));
  const peak = Math.max(0, ...series.map(x => x.sent + x.failed));
  return s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'data-bars': series.filter(x => x.sent || x.failed).length,
    'aria-label': `Sends per minute over the campaign's life, from ${fmt(series[0].minute)} (times in ${zone}); at most ${rounded(peak)} per minute` }, nodes);
}

export const legend = () => h('div', { class: 'legend' },
  h('span', null, h('i', { class: 'dot seg-sent' }), 'Sent'),
  h('span', null, h('i', { class: 'dot seg-failed' }), 'Failed'));
