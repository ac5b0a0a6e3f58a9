// How figures are written on every page. The browser tests write the API's figures the same way
// and compare, so a change here is a change of the tests' expectations too.

export const DASH = '—';

export function bytes(n) {
  if (n === null || n === undefined) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n, u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

export function count(n) {
  return n === null || n === undefined ? DASH : Number(n).toLocaleString('en-US');
}

export function percent(ratio) {
  return ratio === null || ratio === undefined ? DASH : `${(ratio * 100).toFixed(1)}%`;
}

export function recall(r) {
  return r === null || r === undefined ? DASH : Number(r).toFixed(3);
}

export function ms(x) {
  return x === null || x === undefined ? DASH : `${Number(x).toFixed(2)} ms`;
}

export function duration(millis) {
  if (millis === null || millis === undefined) return DASH;
  if (millis < 1000) return `${Math.round(millis)} ms`;
  const s = millis / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "2026-11-24 12:33:00 UTC": absolute times are UTC, as in the API and the logs. */
export function utc(iso) {
  if (!iso) return DASH;
  return new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function ago(iso, now = Date.now()) {
  if (!iso) return DASH;
  const d = Math.round((now - new Date(iso).getTime()) / 1000);
  const a = Math.abs(d);
  const span = a < 60 ? `${a} s` : a < 3600 ? `${Math.round(a / 60)} min`
    : a < 172800 ? `${Math.round(a / 3600)} h` : `${Math.round(a / 86400)} d`;
  return d >= 0 ? `${span} ago` : `in ${span}`;
}
