// A few DOM helpers: build elements without innerHTML (no markup is ever parsed from data), and
// read the VS Code theme. Inline style attributes are blocked by the CSP; sizes are set through
// the CSSOM (element.style), which the CSP allows.

import type { ThemeKind } from '../colour';

type Child = Node | string | null | undefined | false;

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

/** A <select> of options [value, label]; calls onChange with the chosen value. */
export function select(options: readonly (readonly [string, string])[], value: string, onChange: (value: string) => void, props: Props = {}): HTMLSelectElement {
  const element = h('select', props, ...options.map(([v, label]) => h('option', { attrs: { value: v } }, label)));
  element.value = value;
  element.addEventListener('change', () => onChange(element.value));
  return element;
}

export function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, text), control);
}

export function clear(element: Element): void {
  element.replaceChildren();
}

/** Light or dark, from the class VS Code puts on the webview's body. */
export function themeKind(): ThemeKind {
  const classes = document.body.classList;
  return classes.contains('vscode-dark') || (classes.contains('vscode-high-contrast') && !classes.contains('vscode-high-contrast-light')) ? 'dark' : 'light';
}

/** A theme colour, e.g. cssVar('--vscode-editor-foreground', '#333'). */
export function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}
