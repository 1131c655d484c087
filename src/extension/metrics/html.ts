// The "Evaluate Detections" page needs nothing beyond every webview's policy (../webview/html.ts):
// a picked image is decoded with createImageBitmap and drawn on a canvas, which needs no img-src.

import type { WebviewPage } from '../webview/html';

export const METRICS_PAGE: WebviewPage = { bundle: 'metrics', csp: {}, loading: 'Loading the evaluation…' };
