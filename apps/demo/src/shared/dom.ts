/** A tiny element builder: `h('button', { testid: 'play', onclick }, 'play')`. */
type Attrs = Record<string, string | number | boolean | EventListener | undefined> & { testid?: string };

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === 'testid') el.dataset.testid = String(value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const c of children) if (c != null) el.append(c);
  return el;
}

/** A readout for a live value, shown as a dash until it has one. */
export const output = (testid: string) => h('output', { testid }, '—');

/** The readouts panel: a `<dl>` of labels and their values. */
export function readoutList(rows: readonly (readonly [string, Node])[]): HTMLDListElement {
  return h(
    'dl',
    { class: 'readouts' },
    ...rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
  );
}

/** A `<select>` of `options` (value, label) with `selected` chosen. */
export function select<T extends string | number>(
  testid: string,
  options: readonly { value: T; label: string }[],
  selected: T,
  onchange: (value: T) => void,
): HTMLSelectElement {
  const el = h('select', { testid, name: testid });
  for (const o of options) {
    const opt = h('option', { value: String(o.value) }, o.label);
    if (o.value === selected) opt.selected = true;
    el.append(opt);
  }
  el.addEventListener('change', () => {
    const picked = options.find((o) => String(o.value) === el.value);
    if (picked) onchange(picked.value);
  });
  return el;
}

/** Sets an element's text only when it changed (no layout work for equal values). */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
