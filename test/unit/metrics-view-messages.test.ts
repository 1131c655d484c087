// The extension ↔ metrics webview messages (every type passes when well formed; malformed ones are
// rejected with the path of the first problem), the page's Content Security Policy, and the JSON
// helpers that put a validation problem on the offending value.

import { strict as assert } from 'node:assert';
import { METRICS_PAGE } from '../../src/extension/metrics/html';
import { escapeHtml, makeNonce, webviewCsp, webviewHtml, type PageUris } from '../../src/extension/webview/html';

const metricsCsp = (cspSource: string, nonce: string): string => webviewCsp(cspSource, nonce, METRICS_PAGE.csp);
const metricsHtml = (parts: PageUris): string => webviewHtml(METRICS_PAGE, parts);
import {
  jsonKind,
  jsonPathRange,
  jsonSyntaxErrorOffset,
  lineColumnAt,
  lineLocator,
  parseJsonPath,
  parseJsonText,
} from '../../src/extension/metrics/json-text';
import {
  validateFromMetricsWebview,
  validateToMetricsWebview,
  type FromMetricsWebview,
  type ToMetricsWebview,
} from '../../src/shared/metrics-messages';

const image = { id: 3, width: 640, height: 480, fileName: 'a.jpg', objects: 2, detections: 5 };

/** One well-formed message of every type, extension → webview (the mapped type keeps it complete). */
const TO_WEBVIEW: { [T in ToMetricsWebview['type']]: Extract<ToMetricsWebview, { type: T }> } = {
  dataset: {
    type: 'dataset',
    groundTruthName: 'gt.json',
    detectionsName: 'dets.json',
    counts: { images: 1, objects: 2, crowd: 0, detections: 5, categories: 1 },
    categories: [{ id: 1, name: 'cat' }],
    images: [image, { ...image, id: 4, width: null, height: null, fileName: null }],
    warnings: ['dets.json: [3].category_id: warning: …'],
  },
  cocoResults: {
    type: 'cocoResults',
    resultId: 1,
    summary: Array<number>(12).fill(-1),
    iouThresholds: [0.5, 0.75],
    recallThresholds: [0, 0.5, 1],
    classes: [{ categoryId: 1, name: 'cat', groundTruth: 2, crowd: 0, detections: 5, summary: Array<number>(12).fill(0.5) }],
    curves: [{ categoryId: 1, precision: new Float64Array(9), scores: new Float64Array(6) }],
    evaluateMs: 3.5,
  },
  vocResults: {
    type: 'vocResults',
    resultId: 2,
    metric: 'voc07',
    iouThreshold: 0.5,
    mAP: 0.25,
    classes: [
      {
        categoryId: 1,
        name: 'cat',
        groundTruth: 2,
        difficult: 0,
        detections: 5,
        truePositives: 1,
        falsePositives: 4,
        ap: 0.25,
        recall: Float64Array.from([0.5]),
        precision: Float64Array.from([1]),
      },
    ],
    evaluateMs: 1,
  },
  progress: { type: 'progress', metric: 'voc12', fraction: 0.4 },
  evaluationStopped: { type: 'evaluationStopped', metric: 'voc07', reason: 'cancelled', message: 'cancelled' },
  imageBoxes: {
    type: 'imageBoxes',
    image,
    objects: [{ id: 1, categoryId: 1, bbox: [0, 0, 10, 10], area: 100, iscrowd: false }],
    detections: [{ categoryId: 1, bbox: [0, 0, 10, 10], score: 0.9 }],
  },
  imagePixels: { type: 'imagePixels', imageId: 3, name: 'a.png', mime: 'image/png', bytes: new Uint8Array([137, 80]) },
  notice: { type: 'notice', level: 'info', message: 'hello' },
};

const FROM_WEBVIEW: { [T in FromMetricsWebview['type']]: Extract<FromMetricsWebview, { type: T }> } = {
  ready: { type: 'ready' },
  chooseMetric: { type: 'chooseMetric', metric: 'voc12', iouThreshold: 0.75 },
  cancelEvaluation: { type: 'cancelEvaluation' },
  requestImage: { type: 'requestImage', imageId: 3 },
  pickImageFile: { type: 'pickImageFile', imageId: 3 },
  rendered: {
    type: 'rendered',
    resultId: 1,
    metric: 'coco',
    values: [{ name: 'AP', value: 0.247, text: '0.247' }],
    classes: 6,
    charts: 6,
    drawMs: 12,
  },
  imageShown: {
    type: 'imageShown',
    imageId: 3,
    iouThreshold: 0.5,
    background: 'boxes',
    counts: { truePositives: 1, falsePositives: 2, ignored: 0, notEvaluated: 0, matchedObjects: 1, missedObjects: 1, crowdRegions: 0 },
  },
  log: { type: 'log', level: 'warning', message: 'x' },
};

describe('metrics webview messages', () => {
  it('accepts every well-formed message in both directions, unchanged', () => {
    for (const message of Object.values(TO_WEBVIEW)) assert.deepEqual(validateToMetricsWebview(message), { ok: true, message });
    for (const message of Object.values(FROM_WEBVIEW)) assert.deepEqual(validateFromMetricsWebview(message), { ok: true, message });
  });

  it('revives plain arrays where Float64Arrays are expected', () => {
    const sent = { ...TO_WEBVIEW.cocoResults, curves: [{ categoryId: 1, precision: [0.5, 1], scores: [0.9] }] };
    const validated = validateToMetricsWebview(sent);
    assert.ok(validated.ok && validated.message.type === 'cocoResults');
    assert.ok(validated.message.curves[0]?.precision instanceof Float64Array);
  });

  it('rejects malformed messages, naming the path of the first problem', () => {
    const cases: [unknown, string][] = [
      [{ type: 'chooseMetric', metric: 'map', iouThreshold: 0.5 }, 'message.metric: expected "coco" or "voc07" or "voc12", got "map"'],
      [
        { type: 'chooseMetric', metric: 'voc07', iouThreshold: 0 },
        'message.iouThreshold: expected an IoU threshold in (0, 1], got number 0',
      ],
      [{ type: 'requestImage', imageId: 1.5 }, 'message.imageId: expected an integer, got number 1.5'],
      [
        { type: 'rendered', resultId: 1, metric: 'coco', values: [{ name: 'AP', value: 'x', text: '' }], classes: 1, charts: 1, drawMs: 1 },
        'message.values[0].value: expected a finite number, got "x"',
      ],
      [
        { type: 'eval' },
        'message.type: expected one of ready, chooseMetric, cancelEvaluation, requestImage, pickImageFile, rendered, imageShown, log, got "eval"',
      ],
      [null, 'message: expected an object, got null'],
    ];
    for (const [raw, error] of cases) assert.deepEqual(validateFromMetricsWebview(raw), { ok: false, error });
    assert.deepEqual(validateToMetricsWebview({ ...TO_WEBVIEW.imageBoxes, detections: [{ categoryId: 1, bbox: [0, 0, 1], score: 1 }] }), {
      ok: false,
      error: 'message.detections[0].bbox: expected a box [x, y, width, height], got an array of 3',
    });
    assert.deepEqual(validateToMetricsWebview({ ...TO_WEBVIEW.progress, fraction: 1.5 }), {
      ok: false,
      error: 'message.fraction: expected a number in [0, 1], got number 1.5',
    });
  });
});

describe('metrics webview HTML', () => {
  const CSP_SOURCE = 'https://*.vscode-cdn.net';

  it('allows the nonce script and the bundle’s stylesheet, nothing else', () => {
    const csp = metricsCsp(CSP_SOURCE, 'abc');
    assert.equal(csp, `default-src 'none'; script-src 'nonce-abc'; style-src ${CSP_SOURCE}`);
    assert.ok(!csp.includes('unsafe'), 'no inline or eval');
  });

  it('loads only the bundle with a fresh nonce and escapes what it interpolates', () => {
    assert.equal(new Set(Array.from({ length: 20 }, makeNonce)).size, 20);
    const html = metricsHtml({
      cspSource: CSP_SOURCE,
      nonce: 'N0+/=',
      scriptUri: 'https://x/dist/webview/metrics.js',
      styleUri: 'https://x/dist/webview/metrics.css',
      title: 'Detections: <b>.json',
    });
    assert.deepEqual(html.match(/<script[^>]*>/g), ['<script nonce="N0+/=" src="https://x/dist/webview/metrics.js">']);
    assert.ok(html.includes('<title>Detections: &lt;b&gt;.json</title>'));
    assert.ok(!/style=/.test(html), 'no inline style attributes');
    assert.equal(escapeHtml(`"'&`), '&quot;&#39;&amp;');
  });
});

describe('locating a JSON path in the file text', () => {
  const text =
    '{\n "images": [{"id": 1}, {"id": 2}],\n "annotations": [\n  {"id": 1, "bbox": [1, 2, -4, 5], "note": "a \\" ] } string"},\n  {"id": 2}\n ]\n}\n';

  it('finds values by key and index, skipping strings with brackets and escapes', () => {
    const at = (path: string): string | undefined => {
      const range = jsonPathRange(text, path);
      return range && text.slice(range.start, range.end);
    };
    assert.equal(at('annotations[0].bbox[2]'), '-4');
    assert.equal(at('annotations[0].bbox'), '[1, 2, -4, 5]');
    assert.equal(at('annotations[1]'), '{"id": 2}');
    assert.equal(at('images[1].id'), '2');
    assert.equal(at('annotations[2]'), undefined, 'past the end');
    assert.equal(at('categories'), undefined, 'missing key');
    assert.equal(at('[0]'), undefined, 'not an array');
    assert.equal(jsonPathRange('[{"a": 1}, {"image_id": 99}]', '[1].image_id')?.start, 24);
    assert.deepEqual(jsonPathRange(text, ''), { start: 0, end: text.length - 1 });
  });

  it('parses paths, line:columns, syntax errors and file kinds', () => {
    assert.deepEqual(parseJsonPath('annotations[3].bbox[2]'), [{ key: 'annotations' }, { index: 3 }, { key: 'bbox' }, { index: 2 }]);
    assert.equal(parseJsonPath('a..b'), undefined);
    assert.deepEqual(lineColumnAt('ab\ncd', 4), { line: 1, character: 1 });
    const text = 'a\nbc\n\ndef';
    const locate = lineLocator(text);
    for (let offset = 0; offset <= text.length; offset++) assert.deepEqual(locate(offset), lineColumnAt(text, offset), `offset ${offset}`);
    const broken = parseJsonText('{\n "images": [1,,2]\n}');
    assert.ok(!broken.ok);
    if (!broken.ok) assert.match(broken.message, /^line 2, column 15: /);
    assert.equal(jsonKind([]), 'detections');
    assert.equal(jsonKind({ images: [] }), 'ground-truth');
    assert.equal(jsonKind(3), 'unknown');
  });
});

describe('JSON syntax errors', () => {
  it('names line and column whatever V8 says, and finds the first error itself', () => {
    for (const [text, line, column] of [
      ['{\n "images": [1,,2]\n}', 2, 15],
      ['[\n {"a": 1}\n {"b": 2}\n]', 3, 2],
      ['{"a": tru}', 1, 7],
      ['{"a": "x\ny"}', 1, 9],
      ['[1, 2', 1, 6],
      ['{"a": 01}', 1, 8],
    ] as const) {
      const parsed = parseJsonText(text);
      assert.ok(!parsed.ok, text);
      if (!parsed.ok)
        assert.ok(parsed.message.startsWith(`line ${line}, column ${column}: `), `${JSON.stringify(text)}: ${parsed.message}`);
      if (!parsed.ok) assert.ok(!parsed.message.includes('is not valid JSON'), parsed.message);
    }
    assert.equal(jsonSyntaxErrorOffset('{"a": [1, {"b": "\\u00e9"}], "c": -1.5e3}'), undefined);
  });
});
