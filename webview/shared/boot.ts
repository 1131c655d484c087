// How every webview page starts: connect to the extension, build the page's app on #app, hand it
// every message from the extension that passes the page's validator (a malformed one is logged
// here and to the extension's output, and dropped), then say `ready`: the extension answers with
// everything the page needs.

import type { Validated } from '../../src/shared/validate';
import { connectHost, type Host } from './host';

/** What each page posts among its messages: its greeting and its log lines. */
type BaseOut = { type: 'ready' } | { type: 'log'; level: 'info' | 'warning' | 'error'; message: string };

export interface PageDefinition<In, Out, State> {
  /** For console messages: "ConvLens preview". */
  name: string;
  restore(saved: unknown): State;
  validate(raw: unknown): Validated<In>;
  /** Builds the page; returns what handles each valid message. */
  start(host: Host<Out, State>, root: HTMLElement): (message: In) => void;
}

export function bootPage<In, Out, State>(page: PageDefinition<In, Out, State>): void {
  // The page's own messages (Out) include these two: the union is Out.
  const host = connectHost<Out | BaseOut, State>(page.restore);
  const root = document.getElementById('app');
  if (root === null) throw new Error(`the ${page.name} page has no #app element`);
  const receive = page.start(host, root);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const validated = page.validate(event.data);
    if (!validated.ok) {
      console.error(`${page.name}: rejected a malformed message: ${validated.error}`);
      host.post({ type: 'log', level: 'error', message: `rejected a malformed message from the extension: ${validated.error}` });
      return;
    }
    receive(validated.message);
  });
  host.post({ type: 'ready' });
}
