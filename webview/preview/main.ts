// Entry point of the preview webview's bundle (dist/webview/preview.js). Every message from the
// extension is validated before the page acts on it; a malformed one is logged and dropped.

import './styles.css';
import { validateToWebview } from '../../src/shared/preview-messages';
import { PreviewApp } from './app';
import { connectHost } from './vscode-api';

const host = connectHost();
const root = document.getElementById('app');
if (root === null) throw new Error('the preview page has no #app element');
const app = new PreviewApp(host, root);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const validated = validateToWebview(event.data);
  if (!validated.ok) {
    console.error(`ConvLens preview: rejected a malformed message: ${validated.error}`);
    host.post({ type: 'log', level: 'error', message: `rejected a malformed message from the extension: ${validated.error}` });
    return;
  }
  void app.receive(validated.message);
});

host.post({ type: 'ready' });
