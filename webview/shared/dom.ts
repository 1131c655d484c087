// DOM helpers shared by the webviews: elements are built without innerHTML (no markup is ever
// parsed from data), sizes are set through the CSSOM (the CSP blocks style attributes), and theme
// colours are read from VS Code's CSS variables.

export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  id?: string;
  title?: string;
  /** Attributes set with setAttribute (aria-*, data-*, type, ...). */
  attrs?: Record<string, string>;
  on?: { [E in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[E]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.id) element.id = props.id;
  if (props.title) element.title = props.title;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  for (const [name, listener] of Object.entries(props.on ?? {})) element.addEventListener(name, listener as EventListener);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

export function button(label: string, onClick: () => void, props: Props = {}): HTMLButtonElement {
  return h('button', { ...props, attrs: { type: 'button', ...props.attrs }, on: { click: onClick } }, label);
}

/** A <select> of [value, label] options. */
export function select(options: readonly (readonly [string, string])[], value: string, onChange: (value: string) => void, props: Props = {}): HTMLSelectElement {
  const element = h('select', props, ...options.map(([v, label]) => h('option', { attrs: { value: v } }, label)));
  element.value = value;
  element.addEventListener('change', () => onChange(element.value));
  return element;
}

export function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, text), control);
}

/** A theme colour, e.g. cssVar('--vscode-charts-blue', '#3794ff'). */
export function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}
