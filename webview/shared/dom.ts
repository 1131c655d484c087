// The DOM helpers of every webview page: elements are built without innerHTML (no markup is ever
// parsed from data), sizes are set through the CSSOM (the CSP blocks style attributes), and theme
// colours and kind are read from VS Code's CSS variables and body classes.

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
export function select(
  options: readonly (readonly [string, string])[],
  value: string,
  onChange: (value: string) => void,
  props: Props = {},
): HTMLSelectElement {
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

/** Light or dark, from the class VS Code puts on the webview's body. */
export function themeKind(): 'light' | 'dark' {
  const classes = document.body.classList;
  return classes.contains('vscode-dark') || (classes.contains('vscode-high-contrast') && !classes.contains('vscode-high-contrast-light'))
    ? 'dark'
    : 'light';
}

const FALLBACKS: Record<string, string> = {
  '--vscode-charts-foreground': '#cccccc',
  '--vscode-charts-lines': 'rgba(128, 128, 128, 0.5)',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-disabledForeground': 'rgba(150, 150, 150, 0.8)',
};

/** A `--vscode-*` colour with a sensible default when the variable is missing. */
export function themeColour(variable: string): string {
  return cssVar(variable, FALLBACKS[variable] ?? cssVar('--vscode-foreground', '#888888'));
}

/** Calls `onChange` when VS Code switches the theme (it changes the body's classes). */
export function onThemeChange(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
