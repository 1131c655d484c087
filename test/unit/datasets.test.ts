import { strict as assert } from 'node:assert';
import { DATASET_PRESETS, datasetInputShape } from '../../src/core/datasets';

describe('dataset presets', () => {
  it('gives the study note input shapes', () => {
    assert.deepEqual(datasetInputShape('voc'), [1, 3, 380, 470]);
    assert.deepEqual(datasetInputShape('ilsvrc'), [1, 3, 400, 500]);
    assert.deepEqual(datasetInputShape('coco'), [1, 3, 480, 640]);
  });

  it('needs an explicit size for openimages', () => {
    assert.equal(datasetInputShape('openimages'), undefined);
    assert.deepEqual(datasetInputShape('openimages', [600, 800]), [1, 3, 600, 800]);
  });

  it('lets size override the typical size', () => {
    assert.deepEqual(datasetInputShape('coco', [640, 640]), [1, 3, 640, 640]);
  });

  it('knows no other dataset, not even inherited keys', () => {
    assert.equal(datasetInputShape('imagenet'), undefined);
    assert.equal(datasetInputShape('toString'), undefined);
  });

  it('records the table figures', () => {
    assert.deepEqual(
      Object.values(DATASET_PRESETS).map((p) => [p.id, p.classes, p.images, p.boxesPerImage]),
      [
        ['voc', 20, 11540, 2.4],
        ['ilsvrc', 200, 476668, 1.1],
        ['coco', 80, 123287, 7.3],
        ['openimages', 500, 1743042, 7.0],
      ],
    );
    for (const [key, preset] of Object.entries(DATASET_PRESETS)) assert.equal(key, preset.id);
  });
});
