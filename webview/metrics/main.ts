// Entry point of the metrics page's bundle (dist/webview/metrics.js): the page's app, started the
// way every webview page starts (../shared/boot.ts: each message from the extension validated).

import './styles.css';
import { validateToMetricsWebview } from '../../src/shared/metrics-messages';
import { bootPage } from '../shared/boot';
import { MetricsApp } from './app';
import { restoreState } from './state';

bootPage({
  name: 'ConvLens metrics',
  restore: restoreState,
  validate: validateToMetricsWebview,
  start: (host, root) => {
    const app = new MetricsApp(host, root);
    return (message) => {
      const received = performance.now();
      const done = app.receive(message);
      if (message.type === 'dataset' || message.type === 'cocoResults' || message.type === 'vocResults') {
        // Where the time goes on large inputs, for the output log: arrival (since the page started) and drawing.
        void done.then(() =>
          host.post({
            type: 'log',
            level: 'info',
            message: `${message.type} arrived ${received.toFixed(0)} ms after the page started; shown in ${(performance.now() - received).toFixed(0)} ms`,
          }),
        );
      }
      done.catch((error: unknown) => {
        host.post({
          type: 'log',
          level: 'error',
          message: `failed to show ${message.type}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        });
      });
    };
  },
});
