// The preview webview's page: a strict CSP (nonce scripts only, blob: workers, no inline styles)
// and markup that escapes everything it interpolates.

import { strict as assert } from 'node:assert';
import { PREVIEW_PAGE } from '../../src/extension/preview/html';
import { escapeHtml, makeNonce, webviewCsp, webviewHtml, type PageUris } from '../../src/extension/webview/html';

const previewCsp = (cspSource: string, nonce: string): string => webviewCsp(cspSource, nonce, PREVIEW_PAGE.csp);
const previewHtml = (parts: PageUris): string => webviewHtml(PREVIEW_PAGE, parts);

const CSP_SOURCE = 'https://*.vscode-cdn.net';

describe('preview webview HTML', () => {
  it('sets the documented Content Security Policy', () => {
    assert.equal(
      previewCsp(CSP_SOURCE, 'abc'),
      `default-src 'none'; script-src 'nonce-abc' 'wasm-unsafe-eval'; worker-src ${CSP_SOURCE} blob:; style-src ${CSP_SOURCE} 'nonce-abc'; img-src ${CSP_SOURCE} data: blob:`,
    );
    const csp = previewCsp(CSP_SOURCE, 'abc');
    assert.ok(!csp.includes('unsafe-inline'), 'no inline scripts or styles');
    assert.ok(!/script-src[^;]*(https?:|\*)/.test(csp), 'scripts come from no host, only by nonce');
    assert.ok(!csp.includes('connect-src'), 'the page fetches nothing');
  });

  it('makes a fresh 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, makeNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
  });

  it('loads only the bundle, with the nonce, and escapes what it interpolates', () => {
    const html = previewHtml({
      cspSource: CSP_SOURCE,
      nonce: 'N0nce+/=',
      scriptUri: 'https://x.vscode-cdn.net/dist/webview/preview.js',
      styleUri: 'https://x.vscode-cdn.net/dist/webview/preview.css',
      title: 'Preview: <script>alert(1)</script>.cnn.yaml',
    });
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, ['<script nonce="N0nce+/=" src="https://x.vscode-cdn.net/dist/webview/preview.js">']);
    assert.ok(html.includes('<title>Preview: &lt;script&gt;alert(1)&lt;/script&gt;.cnn.yaml</title>'));
    assert.ok(
      html.includes(`content="default-src 'none'; script-src 'nonce-N0nce+/=' 'wasm-unsafe-eval';`) ||
        html.includes('content="default-src &#39;none&#39;'),
    );
    assert.ok(!/style=/.test(html), 'no inline style attributes (the CSP would block them)');
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
