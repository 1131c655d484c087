// Entry point of the metrics webview's bundle (dist/webview/metrics.js). Every message from the
// extension is validated before the page acts on it; a malformed one is logged and dropped.

import './styles.css';
import { validateToMetricsWebview } from '../../src/shared/metrics-messages';
import { MetricsApp } from './app';
import { connectHost } from './vscode-api';

const host = connectHost();
const root = document.getElementById('app');
if (root === null) throw new Error('the metrics page has no #app element');
const app = new MetricsApp(host, root);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const validated = validateToMetricsWebview(event.data);
  if (!validated.ok) {
    console.error(`ConvLens metrics: rejected a malformed message: ${validated.error}`);
    host.post({ type: 'log', level: 'error', message: `rejected a malformed message from the extension: ${validated.error}` });
    return;
  }
  const message = validated.message;
  const received = performance.now();
  const done = app.receive(message);
  if (message.type === 'dataset' || message.type === 'cocoResults' || message.type === 'vocResults') {
    // Where the time goes on large inputs, for the output log: arrival (since the page started) and drawing.
    void done.then(() => host.post({ type: 'log', level: 'info', message: `${message.type} arrived ${received.toFixed(0)} ms after the page started; shown in ${(performance.now() - received).toFixed(0)} ms` }));
  }
  done.catch((error: unknown) => {
    host.post({ type: 'log', level: 'error', message: `failed to show ${validated.message.type}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
  });
});

host.post({ type: 'ready' });
