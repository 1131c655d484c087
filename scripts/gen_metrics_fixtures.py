#!/usr/bin/env python3
"""Generate the COCO-evaluation reference fixtures in test/fixtures/metrics/*.json.

Each fixture holds a ground-truth dataset, a results list, and the numbers pycocotools' COCOeval
(iouType='bbox', default parameters) computes for them: the 12 summary stats and their printed
lines, eval['recall'] [T,K,A,M], the mean over the 101 recall thresholds of eval['precision']
[T,K,A,M], and the full precision curve at area 'all', maxDets 100 [T,R,K]. The TypeScript tests
(test/unit/metrics-coco.test.ts) must match them to 1e-9.

Usage:
    python3 scripts/gen_metrics_fixtures.py          # (re)write the fixtures
    python3 scripts/gen_metrics_fixtures.py --check  # exit 1 if a committed fixture differs

The script needs `pycocotools` and numpy; nothing else. The cases are built here, by hand or from
a seeded numpy generator; the expected numbers come only from pycocotools, never from ConvLens.

How the committed fixtures were produced
----------------------------------------
pycocotools could not be installed on the machine that generated them (no PyPI access, no Debian
package). Instead, with /usr/bin/python3 (3.11, numpy 1.24.2), PYTHONPATH pointed at a directory
outside this repository holding:
  * pycocotools/cocoeval.py: a verbatim copy of PythonAPI/pycocotools/cocoeval.py (BSD-2, not
    committed here) as read through a code-search index of public repositories, which held the
    cocodataset/cocoapi text under philferriere/cocoapi (a fork that keeps the file unchanged),
    commit 126b736ca483b1beef62f56e2746c1bfbc7e17cd. A second, yapf-reformatted copy stored under
    cocodataset/cocoapi (commit e81c312b4e5e400c740c66c42eff5ecce6736f65) gave the same
    numbers; it differs only in printing the summary lines without their leading space;
  * pycocotools/coco.py: a verbatim copy of cocodataset/cocoapi's coco.py (commit
    815c3594cb5c192f698ff9ed4dfcad0669c46437), read the same way;
  * pycocotools/mask.py: a shim with only iou(), the single C function COCOeval needs for boxes,
    transcribed from _mask.pyx iou() and maskApi.c bbIou() (IoU of xywh boxes; for a crowd
    ground truth the union is the detection's area; empty inputs give []);
  * pycocotools/__init__.py: `numpy.float = float`, since that cocoeval.py still uses np.float,
    which numpy 1.24 removed;
  * matplotlib/: empty stubs, since coco.py imports it for showAnns() only.
With a real pycocotools installed (pip install pycocotools), this script should reproduce the
fixtures unchanged; `--check` says so.
"""

import contextlib
import copy
import io
import json
import os
import sys

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'metrics')


def ann(ann_id, image_id, category_id, bbox, area=None, iscrowd=0):
    return {'id': ann_id, 'image_id': image_id, 'category_id': category_id, 'bbox': bbox,
            'area': bbox[2] * bbox[3] if area is None else area, 'iscrowd': iscrowd}


def det(image_id, category_id, bbox, score):
    return {'image_id': image_id, 'category_id': category_id, 'bbox': bbox, 'score': score}


def dataset(image_ids, categories, annotations):
    return {'images': [{'id': i, 'width': 640, 'height': 480} for i in image_ids],
            'categories': [{'id': c, 'name': n} for c, n in categories],
            'annotations': annotations}


def case_basic():
    gt = dataset([1, 2, 3], [(1, 'cat'), (2, 'dog')], [
        ann(1, 1, 1, [10, 10, 50, 50]),
        ann(2, 1, 2, [100, 100, 120, 100]),
        ann(3, 2, 1, [0, 0, 20, 20]),
        ann(4, 2, 1, [300, 300, 40, 40]),
        ann(5, 3, 2, [50, 50, 80, 60]),
    ])
    dets = [
        det(1, 1, [12, 12, 50, 50], 0.9),
        det(1, 1, [200, 200, 30, 30], 0.8),
        det(1, 2, [100, 100, 118, 100], 0.95),
        det(1, 2, [105, 98, 120, 110], 0.6),
        det(2, 1, [2, 1, 20, 19], 0.7),
        det(2, 1, [310, 305, 40, 40], 0.5),
        det(3, 2, [60, 55, 80, 60], 0.4),
        det(3, 1, [50, 50, 80, 60], 0.3),
    ]
    return 'Two classes over three images: true positives at several IoUs, a false positive, a duplicate, a miss.', gt, dets


def case_crowd():
    gt = dataset([1, 2, 3], [(1, 'person'), (3, 'car')], [
        ann(1, 1, 1, [10, 10, 30, 60]),
        ann(2, 1, 1, [0, 0, 200, 100], area=15000, iscrowd=1),
        ann(3, 2, 1, [0, 0, 300, 200], area=40000, iscrowd=1),
        ann(4, 2, 1, [400, 50, 40, 80]),
        ann(5, 3, 3, [0, 0, 100, 100], area=9000, iscrowd=1),
        ann(6, 1, 1, [250, 10, 30, 60]),
    ])
    dets = [
        det(1, 1, [11, 11, 30, 60], 0.9),     # true positive on the regular object
        det(1, 1, [50, 10, 30, 60], 0.85),    # inside the crowd region: ignored
        det(1, 1, [80, 20, 30, 60], 0.8),     # crowd regions match again and again
        det(1, 1, [12, 12, 30, 58], 0.7),     # duplicate of the first: falls to the crowd
        det(1, 1, [300, 300, 20, 20], 0.6),   # false positive
        det(1, 1, [262, 10, 30, 60], 0.55),   # IoU 1080/2520 = 0.43 with object 6: a miss
        det(2, 1, [10, 10, 50, 50], 0.65),    # inside image 2's crowd
        det(2, 1, [390, 40, 40, 80], 0.5),    # partial overlap with object 4
        det(2, 1, [150, 150, 200, 100], 0.45),  # half inside the crowd region (IoU 0.5 by the crowd rule)
        det(3, 3, [10, 10, 20, 20], 0.9),     # class whose only object is a crowd: no counted ground truth
        det(3, 1, [10, 10, 20, 20], 0.3),     # false positive for person in an image without persons
    ]
    return 'Crowd regions: repeated matches, detections ignored inside them, a class with only a crowd object.', gt, dets


def case_areas():
    gt = dataset([1, 2], [(1, 'thing')], [
        ann(1, 1, 1, [0, 0, 32, 32]),                  # area exactly 32²: small and medium
        ann(2, 1, 1, [100, 0, 96, 96]),                # area exactly 96²: medium and large
        ann(3, 1, 1, [300, 0, 50, 50], area=900),      # segmentation area decides: small, box 2500
        ann(4, 2, 1, [0, 200, 200, 200], area=30000),  # large
        ann(5, 2, 1, [500, 400, 5, 5]),                # tiny
        ann(6, 2, 1, [300, 300, 60, 40], area=2000),   # medium
    ])
    dets = [
        det(1, 1, [1, 1, 32, 32], 0.9),
        det(1, 1, [104, 2, 96, 96], 0.8),
        det(1, 1, [305, 3, 50, 50], 0.7),
        det(1, 1, [400, 400, 20, 20], 0.65),   # unmatched small
        det(1, 1, [400, 100, 60, 60], 0.6),    # unmatched medium
        det(2, 1, [10, 210, 200, 200], 0.85),
        det(2, 1, [501, 401, 5, 5], 0.5),
        det(2, 1, [300, 310, 60, 40], 0.75),
        det(2, 1, [100, 100, 150, 150], 0.4),  # unmatched large
        det(2, 1, [0, 0, 31, 33], 0.35),       # unmatched, area 1023
    ]
    return 'Small/medium/large split at 32² and 96² (boundaries inclusive on both sides), ground-truth `area` differing from the box.', gt, dets


def case_ties():
    gt = dataset([1, 2, 3], [(1, 'a'), (2, 'b')], [
        ann(1, 1, 1, [0, 0, 10, 10]),
        ann(2, 2, 1, [0, 0, 10, 10]),
        ann(3, 3, 1, [20, 20, 40, 40]),
        ann(4, 3, 2, [20, 20, 40, 40]),
        ann(5, 1, 2, [100, 100, 30, 30]),
    ])
    dets = [
        det(2, 1, [40, 40, 10, 10], 0.5),      # false positive, same score as everything below
        det(1, 1, [0, 0, 10, 10], 0.5),
        det(1, 1, [0, 0, 10, 10], 0.5),        # exact duplicate
        det(1, 1, [50, 50, 10, 10], 0.5),
        det(2, 1, [0, 0, 10, 10], 0.5),
        det(3, 1, [21, 21, 40, 40], 0.7),
        det(3, 1, [21, 21, 40, 40], 0.7),
        det(3, 2, [22, 20, 40, 40], 0.6),
        det(1, 2, [100, 100, 30, 30], 0.6),
        det(1, 2, [101, 100, 30, 30], 0.6),
        det(3, 2, [200, 200, 40, 40], 0.6),
    ]
    return 'Equal scores within and across images, exact duplicate detections: order decides as in pycocotools.', gt, dets


def case_sparse():
    gt = dataset([42, 7, 1000, 3], [(90, 'zebra'), (3, 'ant'), (17, 'yak'), (55, 'owl')], [
        ann(10, 42, 90, [10, 10, 100, 80]),
        ann(11, 7, 3, [5, 5, 10, 10]),
        ann(12, 42, 3, [200, 200, 15, 10]),
        ann(13, 1000, 90, [0, 0, 300, 300]),
    ])
    dets = [
        det(3, 90, [10, 10, 100, 80], 0.9),    # image without ground truth: false positive
        det(42, 90, [12, 10, 100, 80], 0.8),
        det(1000, 90, [0, 0, 290, 310], 0.7),
        det(7, 17, [5, 5, 10, 10], 0.6),       # class without ground truth
        det(42, 17, [5, 5, 10, 10], 0.2),
    ]
    # ant (3) has ground truth but no detections; owl (55) has neither.
    return 'Ids not sorted or contiguous, images without ground truth, classes without detections or without ground truth.', gt, dets


def case_max_dets():
    rng = np.random.RandomState(7)
    anns = [ann(1, 1, 1, [10, 10, 40, 40]), ann(2, 1, 1, [100, 10, 40, 40]), ann(3, 1, 1, [200, 10, 40, 40]),
            ann(4, 2, 1, [10, 10, 40, 40])]
    gt = dataset([1, 2], [(1, 'x')], anns)
    dets = []
    for i in range(120):
        x, y = float(rng.randint(0, 500)), float(rng.randint(100, 400))
        dets.append(det(1, 1, [x, y, 30.0, 30.0], round(0.99 - i * 0.008, 6)))
    # true positives ranked 5th, 50th and 110th: AR1, AR10 and AR100 all differ
    dets[4]['bbox'] = [11.0, 11.0, 40.0, 40.0]
    dets[49]['bbox'] = [101.0, 10.0, 40.0, 40.0]
    dets[109]['bbox'] = [200.0, 12.0, 40.0, 40.0]
    for i in range(15):
        dets.append(det(2, 1, [300.0 + i, 300.0, 20.0, 20.0], round(0.5 - i * 0.01, 6)))
    dets.append(det(2, 1, [10.0, 10.0, 41.0, 40.0], 0.05))
    return '120 detections in one image: maxDets 1, 10 and 100 truncate at different true positives.', gt, dets


def case_random():
    rng = np.random.RandomState(20240601)
    images = list(range(1, 151))
    cats = [(1, 'c1'), (2, 'c2'), (4, 'c4'), (5, 'c5'), (8, 'c8'), (9, 'c9')]
    anns, dets = [], []
    next_id = 1
    for img in images:
        for _ in range(rng.randint(0, 9)):
            cat = cats[rng.randint(0, len(cats))][0]
            size = float(np.exp(rng.uniform(np.log(6), np.log(300))))
            w = round(size * rng.uniform(0.5, 1.5), 2)
            h = round(size * rng.uniform(0.5, 1.5), 2)
            x = round(float(rng.uniform(0, 640 - w)) if w < 640 else 0.0, 2)
            y = round(float(rng.uniform(0, 480 - h)) if h < 480 else 0.0, 2)
            crowd = int(rng.uniform() < 0.05)
            area = round(w * h * float(rng.uniform(0.55, 1.0)), 3)
            anns.append(ann(next_id, img, cat, [x, y, w, h], area=area, iscrowd=crowd))
            next_id += 1
            if rng.uniform() < 0.85:
                jitter = lambda v, s: round(v + float(rng.normal(0, s)), 2)
                box = [jitter(x, 0.08 * w), jitter(y, 0.08 * h), max(1.0, jitter(w, 0.1 * w)), max(1.0, jitter(h, 0.1 * h))]
                dets.append(det(img, cat, box, round(float(rng.uniform(0.2, 1.0)), 2)))
                if rng.uniform() < 0.2:  # duplicate, usually lower scored
                    dets.append(det(img, cat, [box[0] + 1.0, box[1], box[2], box[3]], round(float(rng.uniform(0.0, 0.8)), 2)))
            if rng.uniform() < 0.15:  # a confusion with another class
                other = cats[rng.randint(0, len(cats))][0]
                dets.append(det(img, other, [x, y, w, h], round(float(rng.uniform(0.0, 0.6)), 2)))
        for _ in range(rng.randint(0, 12)):  # background false positives
            w = round(float(rng.uniform(4, 200)), 2)
            h = round(float(rng.uniform(4, 200)), 2)
            dets.append(det(img, cats[rng.randint(0, len(cats))][0],
                            [round(float(rng.uniform(0, 600)), 2), round(float(rng.uniform(0, 440)), 2), w, h],
                            round(float(rng.uniform(0.0, 0.7)), 2)))
    # one crowded image: more than 100 detections of one class
    for i in range(130):
        dets.append(det(13, 1, [round(float(rng.uniform(0, 600)), 2), round(float(rng.uniform(0, 440)), 2), 20.0, 20.0],
                        round(float(rng.uniform(0.0, 1.0)), 2)))
    order = rng.permutation(len(dets))
    dets = [dets[i] for i in order]
    gt = dataset(images, cats, anns)
    return 'Seeded random case: 150 images, 6 classes, crowds, jittered and duplicate detections, scores with 2 decimals (many ties), an image over 100 detections.', gt, dets


def case_grid():
    # Boxes on a 5-pixel grid: many IoUs land exactly on a threshold (1/2, 3/4, 9/10 ...), which
    # tests the >= comparisons and the 0.8999999999999999 threshold. Scores with one decimal tie often.
    rng = np.random.RandomState(4242)
    images = list(range(1, 41))
    cats = [(1, 'square'), (2, 'wide'), (3, 'tall')]
    anns, dets = [], []
    for img in images:
        for _ in range(rng.randint(0, 6)):
            cat = int(rng.randint(1, 4))
            w = 10.0 * int(rng.randint(1, 13))
            h = 10.0 * int(rng.randint(1, 13))
            x = 5.0 * int(rng.randint(0, 80))
            y = 5.0 * int(rng.randint(0, 60))
            crowd = int(rng.uniform() < 0.06)
            anns.append(ann(len(anns) + 1, img, cat, [x, y, w, h], iscrowd=crowd))
            for _ in range(rng.randint(0, 3)):
                # shift by a multiple of w/20 or h/20: IoU (1 - k/20) / (1 + k/20) and friends
                kx = int(rng.randint(0, 6))
                ky = int(rng.randint(0, 3))
                dets.append(det(img, cat, [x + kx * w / 20, y + ky * h / 20, w, h], round(float(rng.randint(1, 10)) / 10, 1)))
            if rng.uniform() < 0.3:  # half the box: IoU exactly 0.5
                dets.append(det(img, cat, [x, y, w / 2, h], round(float(rng.randint(1, 10)) / 10, 1)))
        for _ in range(rng.randint(0, 4)):
            dets.append(det(img, int(rng.randint(1, 4)), [5.0 * int(rng.randint(0, 80)), 5.0 * int(rng.randint(0, 60)), 40.0, 40.0],
                            round(float(rng.randint(1, 10)) / 10, 1)))
    gt = dataset(images, cats, anns)
    return 'Boxes on a grid: IoUs exactly at thresholds, half boxes (IoU 0.5), one-decimal scores.', gt, dets


CASES = {
    'basic': case_basic,
    'crowd': case_crowd,
    'areas': case_areas,
    'ties': case_ties,
    'sparse': case_sparse,
    'max-dets': case_max_dets,
    'random': case_random,
    'grid': case_grid,
}


def dump(fixture):
    """JSON with one annotation or detection per line: readable diffs at a modest size."""
    def lines(items):
        return '[\n' + ',\n'.join('  ' + json.dumps(item) for item in items) + '\n ]'
    gt = fixture['gt']
    gt_text = '{\n ' + ',\n '.join('"%s": %s' % (k, lines(v)) for k, v in gt.items()) + '}'
    expected = fixture['expected']
    expected_text = '{\n' + ',\n'.join('  "%s": %s' % (k, json.dumps(v)) for k, v in expected.items()) + '\n }'
    return ('{\n "name": %s,\n "description": %s,\n "gt": %s,\n "dets": %s,\n "expected": %s\n}\n'
            % (json.dumps(fixture['name']), json.dumps(fixture['description']), gt_text, lines(fixture['dets']), expected_text))


def evaluate(gt_json, dets_json):
    log = io.StringIO()
    with contextlib.redirect_stdout(log):
        coco_gt = COCO()
        coco_gt.dataset = copy.deepcopy(gt_json)
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(copy.deepcopy(dets_json))  # loadRes adds area/id/iscrowd in place
        E = COCOeval(coco_gt, coco_dt, 'bbox')
        E.evaluate()
        E.accumulate()
    summary = io.StringIO()
    with contextlib.redirect_stdout(summary):
        E.summarize()
    precision = E.eval['precision']  # [T, R, K, A, M]
    recall = E.eval['recall']        # [T, K, A, M]
    precision_mean = np.where(precision.min(axis=1) == -1, -1.0, precision.mean(axis=1))
    per_class_ap = []
    for k in range(precision.shape[2]):
        s = precision[:, :, k, 0, -1]
        per_class_ap.append(float(np.mean(s[s > -1])) if np.any(s > -1) else -1.0)
    return {
        'cat_ids': [int(c) for c in E.params.catIds],
        'img_ids': [int(i) for i in E.params.imgIds],
        'iou_thrs': E.params.iouThrs.tolist(),
        'rec_thrs': E.params.recThrs.tolist(),
        'stats': [float(v) for v in E.stats],
        'summary_lines': summary.getvalue().rstrip('\n').split('\n'),
        'recall': recall.tolist(),
        'precision_mean': precision_mean.tolist(),
        'precision_all_100': precision[:, :, :, 0, -1].tolist(),
        'per_class_ap': per_class_ap,
    }


def main():
    check = '--check' in sys.argv[1:]
    stale = []
    for name, build in CASES.items():
        description, gt_json, dets_json = build()
        fixture = {'name': name, 'description': description, 'gt': gt_json, 'dets': dets_json,
                   'expected': evaluate(gt_json, dets_json)}
        text = dump(fixture)
        assert json.loads(text) == json.loads(json.dumps(fixture))
        path = os.path.join(OUT_DIR, name + '.json')
        if check:
            with open(path) as f:
                if f.read() != text:
                    stale.append(path)
        else:
            with open(path, 'w') as f:
                f.write(text)
            print('wrote', os.path.relpath(path), 'stats', ['%.4f' % v for v in fixture['expected']['stats']])
    if stale:
        print('differs from the committed fixture:', *stale, sep='\n  ')
        sys.exit(1)


if __name__ == '__main__':
    main()
