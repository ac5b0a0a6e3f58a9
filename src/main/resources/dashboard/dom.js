// Builds DOM nodes. Text always goes in as text nodes, never as HTML: index, table and job names
// and error messages come from databases and configuration files the page does not control.

/**
 * h('a', {href: '#/'}, 'text', child, [more, children]) — attributes: class, dataset ({key: value}),
 * on ({click: fn}), anything else as an attribute; null/undefined/false children are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A link to a page of the dashboard; parts are encoded one by one. */
export function link(text, ...parts) {
  return h('a', {href: route(...parts)}, text);
}

export function route(...parts) {
  return '#/' + parts.map(p => encodeURIComponent(String(p))).join('/');
}

/** A cell given as {content, sort, key, title, cls} rather than as plain content. */
function spec(cell) {
  return cell !== null && typeof cell === 'object' && !Array.isArray(cell) && !(cell instanceof Node) ? cell : {content: cell};
}

/**
 * A table that stacks into label/value cards on a phone. rows: [{cells, cls, dataset}]; a cell's
 * sort value becomes data-sort (what sorting compares) and its key data-key (how tests find it).
 */
export function table(columns, rows, opts = {}) {
  const head = h('tr', null, columns.map(c => h('th', {scope: 'col', class: c.cls, title: c.title}, c.name)));
  const body = h('tbody', null, rows.map(r => h('tr', {class: r.cls, dataset: r.dataset}, r.cells.map((cell, i) => {
    const c = spec(cell);
    const data = {label: columns[i].name};
    if (c.sort !== undefined && c.sort !== null) data.sort = String(c.sort);
    if (c.key) data.key = c.key;
    // several parts stay one block, so a stacked cell on a phone is label | value, not label | part | part
    return h('td', {class: [columns[i].cls, c.cls].filter(Boolean).join(' ') || null, dataset: data, title: c.title},
      Array.isArray(c.content) ? h('span', null, c.content) : c.content);
  }))));
  // a table wider than the page scrolls sideways; tabindex lets a keyboard scroll it too
  return h('div', {class: 'scroll', tabindex: 0}, h('table', {class: 'stack ' + (opts.cls || ''), id: opts.id},
    h('thead', null, head), body));
}

export function badge(text, kind) {
  return h('span', {class: 'badge ' + (kind || text)}, text);
}

export function section(title, ...children) {
  return h('section', {class: 'panel'}, h('h2', null, title), ...children);
}

export function empty(text) {
  return h('p', {class: 'empty'}, text);
}
