// What the CLI prints: every line goes through terminalSafe, so names and messages taken from a
// model, weights or ground-truth file cannot send escape sequences to the user's terminal.

import { terminalSafe } from '../core';

export function writeOut(text: string): void {
  process.stdout.write(terminalSafe(text));
}

export function writeErr(text: string): void {
  process.stderr.write(terminalSafe(text));
}
