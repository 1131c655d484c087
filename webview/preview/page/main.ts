// Entry point of the preview page's bundle (dist/webview/preview.js): the page's app, started the
// way every webview page starts (../../shared/boot.ts: each message from the extension validated).

import './styles.css';
import { validateToWebview } from '../../../src/shared/preview-messages';
import { bootPage } from '../../shared/boot';
import { PreviewApp } from './app';
import { restoreState } from './state';

bootPage({
  name: 'ConvLens preview',
  restore: restoreState,
  validate: validateToWebview,
  start: (host, root) => {
    const app = new PreviewApp(host, root);
    return (message) => void app.receive(message);
  },
});
