// The preview page: the engine's WebAssembly GEMM needs 'wasm-unsafe-eval'; its worker runs from a
// blob: URL the page makes of the worker script text the extension posts; pictures are decoded
// from data:/blob: URLs. Everything else is every webview's policy (../webview/html.ts).

import type { WebviewPage } from '../webview/html';

export const PREVIEW_PAGE: WebviewPage = {
  bundle: 'preview',
  csp: { wasm: true, blobWorkers: true, nonceStyles: true, images: true },
  loading: 'Loading the preview…',
};
