// Dataset presets for `input: {dataset: ...}` (contract §1) and for the metrics view's captions.
// Figures are the study note's table: VOC 2012, ILSVRC 2017 detection, COCO 2018 and
// Open Images Challenge 2018 object detection (OICOD18).

export interface DatasetPreset {
  id: 'voc' | 'ilsvrc' | 'coco' | 'openimages';
  title: string;
  classes: number;
  images: number;
  boxesPerImage: number;
  /** Typical image size as [H, W]; null where sizes vary too much to pick one. */
  typicalSize: [number, number] | null;
  description: string;
}

export const DATASET_PRESETS: Record<string, DatasetPreset> = {
  voc: {
    id: 'voc',
    title: 'PASCAL VOC 2012',
    classes: 20,
    images: 11540,
    boxesPerImage: 2.4,
    typicalSize: [380, 470],
    description: 'PASCAL VOC 2012: 20 classes, 11,540 images, 2.4 boxes per image, about 470×380 (W×H).',
  },
  ilsvrc: {
    id: 'ilsvrc',
    title: 'ILSVRC 2017 (detection)',
    classes: 200,
    images: 476668,
    boxesPerImage: 1.1,
    typicalSize: [400, 500],
    description: 'ILSVRC 2017 detection: 200 classes, 476,668 images, 1.1 boxes per image, about 500×400 (W×H).',
  },
  coco: {
    id: 'coco',
    title: 'MS COCO 2018',
    classes: 80,
    images: 123287,
    boxesPerImage: 7.3,
    typicalSize: [480, 640],
    description: 'MS COCO 2018: 80 classes, 123,287 images, 7.3 boxes per image, about 640×480 (W×H).',
  },
  openimages: {
    id: 'openimages',
    title: 'Open Images Challenge 2018 (OICOD18)',
    classes: 500,
    images: 1743042,
    boxesPerImage: 7.0,
    typicalSize: null,
    description:
      'Open Images Challenge 2018 object detection: 500 classes, 1,743,042 images, 7.0 boxes per image; image size varies, so give `size: [H, W]`.',
  },
};

/**
 * The NCHW input shape `[1, 3, H, W]` for a preset: `size` ([H, W]) overrides the typical size.
 * Undefined for an unknown id, or for a preset without a typical size (openimages) when no size
 * is given, so the caller can report which of the two it was by looking up DATASET_PRESETS.
 */
export function datasetInputShape(id: string, size?: [number, number]): number[] | undefined {
  const preset = Object.prototype.hasOwnProperty.call(DATASET_PRESETS, id) ? DATASET_PRESETS[id] : undefined;
  if (preset === undefined) return undefined;
  const hw = size ?? preset.typicalSize;
  if (hw === null) return undefined;
  return [1, 3, hw[0], hw[1]];
}
