/** The architecture table: the seed's shape walk, every layer under its block; a block's row folds them. */
import type { SummaryRow } from '../protocol.js';
import { fmtInt, h } from './dom.js';

export function archTable(layers: SummaryRow[]): HTMLTableElement {
  const body = h('tbody');
  const rows = layers.map((l) => {
    const tr = h('tr', { class: `depth${Math.min(l.depth, 3)}`, 'data-name': l.name, 'data-depth': l.depth }, h('td', {}, l.name), h('td', {}, l.type), h('td', { class: 'mono' }, `(${l.outputShape.join(', ')})`), h('td', { class: 'num' }, fmtInt(l.params)));
    body.append(tr);
    return tr;
  });
  // A row with deeper rows right after it is a block: clicking it folds or unfolds them.
  rows.forEach((tr, i) => {
    const depth = layers[i].depth;
    const inner: HTMLTableRowElement[] = [];
    for (let j = i + 1; j < layers.length && layers[j].depth > depth; j++) inner.push(rows[j]);
    if (inner.length === 0) return;
    tr.classList.add('block', 'open');
    tr.title = 'Click to fold or unfold the layers of this block';
    tr.addEventListener('click', () => {
      const open = !tr.classList.contains('open');
      tr.classList.toggle('open', open);
      for (const r of inner) {
        r.hidden = !open;
        if (open && r.classList.contains('block')) r.classList.add('open');
      }
    });
  });
  return h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Layer'), h('th', {}, 'Type'), h('th', {}, 'Output shape'), h('th', { class: 'num' }, 'Params'))), body);
}
