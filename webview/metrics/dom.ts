// DOM helpers for the metrics page: the shared element builders (../shared/dom.ts), plus chart
// colours with fallbacks and a theme-change hook.

export { button, cssVar, h, labelled, select, type Props } from '../shared/dom';
import { cssVar } from '../shared/dom';

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
