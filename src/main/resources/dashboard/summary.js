// A run's summary as a person reads it. Each kind declares the record it reports in, and the API
// gives its layout beside the run (GET /api/runs/ID: summaryLayout): every field with its label
// and unit, a list of records as a table of labelled columns, a nested record as its own facts.
// A key the layout does not name (a skipped run's reason, a kind no longer installed) is shown by
// the generic view below, so nothing the run said is hidden.

import {h, table} from './dom.js';
import * as f from './format.js';

export function fact(name, value) {
  return [h('dt', null, name), h('dd', null, value === null || value === undefined ? f.DASH : value)];
}

const none = () => h('span', {class: 'muted'}, 'none');

/** A summary by its kind's layout; without one, by the generic view. */
export function summaryView(summary, layout) {
  if (!layout) return value(summary);
  return facts(summary, layout.fields, 0);
}

function facts(obj, fields, depth) {
  const named = new Set(fields.map(x => x.key));
  return h('dl', {class: 'facts nested'},
    fields.filter(x => obj[x.key] !== undefined).map(x => fact(x.label, laidOut(obj[x.key], x, depth + 1))),
    Object.keys(obj).filter(k => !named.has(k)).map(k => fact(label(k), value(obj[k], depth + 1, k))));
}

/** One value in its declared unit; a value of another shape than declared is shown as it is. */
function laidOut(v, field, depth) {
  if (v === null || v === undefined) return f.DASH;
  const number = typeof v === 'number';
  switch (field.unit) {
    case 'bytes': return number ? (v < 0 ? `−${f.bytes(Math.round(-v))}` : f.bytes(Math.round(v))) : String(v);
    case 'latency': return number ? f.ms(v) : String(v);
    case 'duration': return number ? f.duration(v) : String(v);
    case 'seconds': return number ? f.duration(v * 1000) : String(v);
    case 'ratio': return number ? f.recall(v) : String(v);
    case 'percent': return number ? f.percent(v) : String(v);
    case 'count': return number ? f.count(v) : String(v);
    case 'number': return number ? String(Math.round(v * 1000) / 1000) : String(v);
    case 'flag': return typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
    case 'time': return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : f.utc(v);
    case 'list': return Array.isArray(v) ? list(v) : String(v);
    case 'group': return v && typeof v === 'object' && !Array.isArray(v) ? facts(v, field.fields, depth) : value(v, depth);
    case 'table': return Array.isArray(v) ? rows(v, field.fields, depth) : value(v, depth);
    default: return typeof v === 'object' ? value(v, depth) : String(v);
  }
}

/** Short values on one line; sentences (a run's precautions) one per line. */
function list(v) {
  if (!v.length) return none();
  const items = v.map(e => (typeof e === 'object' ? JSON.stringify(e) : String(e)));
  return items.some(e => e.length > 60) ? h('ul', {class: 'plain'}, items.map(e => h('li', null, e))) : items.join(', ');
}

const NESTED = new Set(['group', 'map', 'table']);
const FIGURES = new Set(['ratio', 'percent', 'latency', 'bytes', 'seconds', 'duration']);

/**
 * A list of records: a table of the declared columns that any row fills (then any others), or,
 * when a column holds records, maps or lists of its own, one folded block per row, headed by its
 * names and figures, since a table of tables is too narrow to read.
 */
function rows(list, columns, depth) {
  if (!list.length) return none();
  const filled = c => list.some(e => e && e[c.key] !== undefined && e[c.key] !== null);
  const named = new Set(columns.map(c => c.key));
  const extra = [...new Set(list.flatMap(e => (e && typeof e === 'object' ? Object.keys(e) : [])))]
    .filter(k => !named.has(k)).map(k => ({key: k, label: label(k), unit: 'auto'}));
  const cols = [...columns.filter(filled), ...extra];
  if (cols.some(c => NESTED.has(c.unit))) {
    return h('div', {class: 'records'}, list.map(e => h('details', {class: 'group record'},
      h('summary', null, headline(e, cols)), e && typeof e === 'object' ? facts(e, columns, depth) : String(e))));
  }
  return table(cols.map(c => ({name: c.label})),
    list.map(e => ({cells: cols.map(c => laidOut(e ? e[c.key] : null, c, depth + 1))})), {cls: 'compact'});
}

/** A row's line when folded: its first two names, then its first three figures. */
function headline(e, cols) {
  if (!e || typeof e !== 'object') return String(e);
  const has = c => e[c.key] !== undefined && e[c.key] !== null;
  const names = cols.filter(c => c.unit === 'text' && has(c) && typeof e[c.key] !== 'object').slice(0, 2)
    .map(c => String(e[c.key]));
  const figures = cols.filter(c => FIGURES.has(c.unit) && has(c)).slice(0, 3)
    .map(c => `${c.label} ${laidOut(e[c.key], c, 0)}`);
  return [...names, ...figures].join(' · ') || 'entry';
}

/** "probeSets" → "probe sets", "p95Ms" → "p95 ms": a key no layout names, as a person reads it. */
export function label(key) {
  return String(key).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase().replace(/\bbytes\b/, '(bytes)');
}

/** A figure of a summary with no layout: bytes in IEC units, others as they are. */
function figure(key, v) {
  return typeof v === 'number' && /^bytes|Bytes$/.test(key) ? f.bytes(v) : String(v);
}

/**
 * The generic view, for what no layout names: objects as labelled facts, lists of like objects as
 * tables (their columns labelled).
 */
export function value(v, depth = 0, key = '') {
  if (v === null || v === undefined) return f.DASH;
  if (Array.isArray(v)) {
    if (!v.length) return none();
    if (v.every(e => e && typeof e === 'object' && !Array.isArray(e))) {
      const keys = [...new Set(v.flatMap(e => Object.keys(e)))];
      return table(keys.map(k => ({name: label(k)})), v.map(e => ({cells: keys.map(k => value(e[k], depth + 1, k))})),
        {cls: 'compact'});
    }
    return v.map(e => (typeof e === 'object' ? JSON.stringify(e) : String(e))).join(', ');
  }
  if (typeof v === 'object') {
    if (depth > 2) return h('code', null, JSON.stringify(v));
    return h('dl', {class: 'facts nested'}, Object.entries(v).map(([k, e]) => fact(label(k), value(e, depth + 1, k))));
  }
  return figure(key, v);
}
