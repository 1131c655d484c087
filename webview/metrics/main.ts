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
  app.receive(validated.message).catch((error: unknown) => {
    host.post({ type: 'log', level: 'error', message: `failed to show ${validated.message.type}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
  });
});

host.post({ type: 'ready' });
