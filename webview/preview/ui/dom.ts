// DOM helpers for the preview page: the shared element builders (../../shared/dom.ts), plus the
// theme kind and the page's number formats.

import type { ThemeKind } from '../colour';

export { button, cssVar, h, labelled, select, type Props } from '../../shared/dom';

export function clear(element: Element): void {
  element.replaceChildren();
}

/** Light or dark, from the class VS Code puts on the webview's body. */
export function themeKind(): ThemeKind {
  const classes = document.body.classList;
  return classes.contains('vscode-dark') || (classes.contains('vscode-high-contrast') && !classes.contains('vscode-high-contrast-light')) ? 'dark' : 'light';
}

// Shapes read as they do in the CLI and the hovers: the core's one formatter.
export { formatShape } from '../../../src/core/format';

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}
