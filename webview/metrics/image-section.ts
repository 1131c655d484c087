// The single-image view of the metrics page: an image chooser (built once per dataset: with
// thousands of images it is thousands of <option>s), the IoU threshold, the labels switch and
// "Image file…", then the canvas, its legend and the table of detections (image-view.ts). Asks
// the extension for an image's boxes when first shown, and reports each drawing (`imageShown`).

import { COCO_IOU_THRESHOLDS } from '../../src/core/metrics/coco-eval';
import type { DatasetMessage, ImageBoxesMessage, ImagePixelsMessage } from '../../src/shared/metrics-messages';
import { button, h, labelled, select } from '../shared/dom';
import { iouText } from './format';
import { detectionTable, drawImage, legend } from './image-view';
import type { Host } from './state';

interface ImageControls {
  dataset: DatasetMessage;
  element: HTMLElement;
  imageSelect: HTMLSelectElement;
  previous: HTMLButtonElement;
  next: HTMLButtonElement;
}

export class ImageSection {
  readonly element = h('section', { class: 'card image', attrs: { 'aria-label': 'One image' } });
  private dataset: DatasetMessage | undefined;
  private names = new Map<number, string>();
  private readonly boxes = new Map<number, ImageBoxesMessage>();
  private readonly pictures = new Map<number, ImageBitmap>();
  private controls: ImageControls | undefined;

  constructor(private readonly host: Host) {
    // The image is scaled to the panel's width: draw it again when that changes noticeably.
    let drawnWidth = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    new ResizeObserver(() => {
      const width = this.element.clientWidth;
      if (drawnWidth === 0) drawnWidth = width;
      if (Math.abs(width - drawnWidth) < 40) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        drawnWidth = this.element.clientWidth;
        this.render();
      }, 150);
    }).observe(this.element);
  }

  setDataset(dataset: DatasetMessage): void {
    this.dataset = dataset;
    this.names = new Map(dataset.categories.map((c) => [c.id, c.name]));
    this.boxes.clear();
    for (const picture of this.pictures.values()) picture.close();
    this.pictures.clear();
    this.selectImage(this.host.state.imageId);
  }

  setBoxes(boxes: ImageBoxesMessage): void {
    this.boxes.set(boxes.image.id, boxes);
    if (this.host.state.imageId === boxes.image.id) this.render();
  }

  /** Decodes the picture and draws it under its image's boxes; a message when it cannot be decoded. */
  async setPicture(message: ImagePixelsMessage): Promise<string | undefined> {
    let picture: ImageBitmap;
    try {
      picture = await createImageBitmap(new Blob([new Uint8Array(message.bytes)], { type: message.mime }));
    } catch (error) {
      return `${message.name} could not be decoded as an image: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.pictures.get(message.imageId)?.close();
    this.pictures.set(message.imageId, picture);
    if (this.host.state.imageId === message.imageId) this.render();
    return undefined;
  }

  selectImage(imageId: number | null): void {
    const d = this.dataset;
    if (d === undefined || d.images.length === 0) return;
    const known = imageId !== null && d.images.some((i) => i.id === imageId);
    const id = known ? (imageId as number) : (d.images.find((i) => i.detections > 0 && i.objects > 0) ?? d.images[0])?.id;
    if (id === undefined) return;
    this.host.state.imageId = id;
    this.host.save();
    if (!this.boxes.has(id)) this.host.post({ type: 'requestImage', imageId: id });
    this.render();
  }

  /** The controls, built once per dataset and only updated on each redraw. */
  private imageControls(d: DatasetMessage): ImageControls {
    if (this.controls?.dataset === d) return this.controls;
    const imageSelect = select(
      d.images.map(
        (i) => [String(i.id), `#${i.id}${i.fileName ? ` ${i.fileName}` : ''} · ${i.objects} objects · ${i.detections} detections`] as const,
      ),
      String(this.host.state.imageId ?? ''),
      (value) => this.selectImage(Number(value)),
      { id: 'image-select' },
    );
    const step = (delta: number): void => {
      const index = d.images.findIndex((i) => i.id === this.host.state.imageId);
      const next = d.images[index + delta];
      if (next) this.selectImage(next.id);
    };
    const iouSelect = select(
      COCO_IOU_THRESHOLDS.map((t) => [String(t), iouText(t)] as const),
      String(this.host.state.imageIou),
      (value) => {
        this.host.state.imageIou = Number(value);
        this.host.save();
        this.render();
      },
      { id: 'image-iou', title: 'IoU threshold for a match (COCO’s thresholds)' },
    );
    const labels = h('input', { id: 'image-labels', attrs: { type: 'checkbox' } });
    labels.checked = this.host.state.labels;
    labels.addEventListener('change', () => {
      this.host.state.labels = labels.checked;
      this.host.save();
      this.render();
    });
    const previous = button('‹', () => step(-1), { class: 'secondary', title: 'Previous image' });
    const next = button('›', () => step(1), { class: 'secondary', title: 'Next image' });
    const element = h(
      'div',
      { class: 'controls' },
      labelled('Image', h('span', { class: 'image-picker' }, previous, imageSelect, next)),
      labelled('IoU ≥', iouSelect),
      h('label', { class: 'field inline' }, labels, ' labels'),
      button(
        'Image file…',
        () => {
          const imageId = this.host.state.imageId;
          if (imageId !== null) this.host.post({ type: 'pickImageFile', imageId });
        },
        { class: 'secondary', title: 'Draw the boxes over the picture of this image' },
      ),
    );
    this.controls = { dataset: d, element, imageSelect, previous, next };
    return this.controls;
  }

  render(): void {
    const d = this.dataset;
    const id = this.host.state.imageId;
    if (d === undefined || id === null) return;
    const controls = this.imageControls(d);
    const index = d.images.findIndex((i) => i.id === id);
    controls.imageSelect.value = String(id);
    controls.previous.disabled = index <= 0;
    controls.next.disabled = index < 0 || index >= d.images.length - 1;
    const boxes = this.boxes.get(id);
    if (boxes === undefined) {
      this.element.replaceChildren(h('h2', {}, 'One image'), controls.element, h('p', { class: 'muted' }, 'Loading the boxes…'));
      return;
    }
    const canvas = h('canvas', { class: 'image-canvas', attrs: { role: 'img', 'aria-label': `Boxes of image ${id}` } });
    const frame = h('div', { class: 'image-frame' }, canvas);
    this.element.replaceChildren(h('h2', {}, 'One image'), controls.element, frame);
    const maxWidth = Math.max(240, Math.min(this.element.clientWidth - 24, 1100));
    const iou = this.host.state.imageIou;
    const { drawing, matches } = drawImage(canvas, boxes, this.names, iou, this.pictures.get(id), maxWidth, this.host.state.labels);
    this.element.append(legend(drawing.counts, iou), detectionTable(boxes, matches, this.names));
    this.element.dataset['imageId'] = String(id);
    this.host.post({ type: 'imageShown', imageId: id, iouThreshold: iou, background: drawing.background, counts: drawing.counts });
  }
}
