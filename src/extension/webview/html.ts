// The HTML and Content Security Policy of every ConvLens webview. Nothing loads but the page's
// own bundle from dist/webview (the panel's only localResourceRoot): its script with this page's
// nonce, its stylesheet; no inline code, no requests, styles only through the CSSOM. A page asks
// for more only where it needs it (the preview: WebAssembly, a blob: worker, nonce styles, images
// from data:/blob: URLs). Pure: no vscode import, so unit tests check the policies.

export interface CspAllowances {
  /** 'wasm-unsafe-eval': compiling the engine's WebAssembly module. */
  wasm?: boolean;
  /** worker-src blob: (the worker runs from a blob: URL of the script text the extension posts). */
  blobWorkers?: boolean;
  /** style-src 'nonce-…' besides the stylesheet. */
  nonceStyles?: boolean;
  /** img-src data: blob: besides the bundle. */
  images?: boolean;
}

/** One webview page: its bundle in dist/webview (`<bundle>.js`, `<bundle>.css`), its policy, its placeholder. */
export interface WebviewPage {
  bundle: string;
  csp: CspAllowances;
  /** Shown until the script replaces it. */
  loading: string;
}

export function webviewCsp(cspSource: string, nonce: string, allow: CspAllowances): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'${allow.wasm ? " 'wasm-unsafe-eval'" : ''}`,
    allow.blobWorkers ? `worker-src ${cspSource} blob:` : undefined,
    `style-src ${cspSource}${allow.nonceStyles ? ` 'nonce-${nonce}'` : ''}`,
    allow.images ? `img-src ${cspSource} data: blob:` : undefined,
  ]
    .filter((directive) => directive !== undefined)
    .join('; ');
}

/** 128 random bits, base64: a fresh nonce for each page. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export interface PageUris {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
}

export function webviewHtml(page: WebviewPage, parts: PageUris): string {
  const { nonce } = parts;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(webviewCsp(parts.cspSource, nonce, page.csp))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(parts.styleUri)}">
<title>${escapeHtml(parts.title)}</title>
</head>
<body>
<div id="app" data-state="loading"><p class="status">${escapeHtml(page.loading)}</p></div>
<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(parts.scriptUri)}"></script>
</body>
</html>`;
}
