// The preview's header: model title, the visible weights and input labels, the input /
// normalization / weights / size controls, Run and Cancel, the run's progress and status line,
// and dismissible notices.

import { NORMALIZATIONS, type NormalizationId } from '../../normalize';
import type { PersistedState } from '../state';
import { button, h, labelled, select } from '../../../shared/dom';

export interface ToolbarActions {
  chooseInput(value: string): void;
  setNormalization(value: NormalizationId | 'auto'): void;
  pickImage(): void;
  pickWeights(): void;
  useRandomWeights(seed: number): void;
  setSize(px: number): void;
  run(): void;
  cancel(): void;
}

const WEIGHTS_FILE_TITLE = 'pick a .safetensors state_dict';

export class Toolbar {
  readonly element: HTMLElement;
  readonly notices = h('div', { class: 'notices' });
  private readonly title = h('h1', {}, 'Preview');
  private readonly weightsLabel = h(
    'span',
    { class: 'badge weights', id: 'weights-label', title: 'the weights the engine runs with' },
    '…',
  );
  private readonly inputLabel = h('span', { class: 'badge input', id: 'input-label', title: 'the input image and its normalization' }, '…');
  private readonly inputSelect: HTMLSelectElement;
  private readonly seedInput: HTMLInputElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly weightsFileButton: HTMLButtonElement;
  private readonly progress = h('progress', { attrs: { max: '1', value: '0', 'aria-label': 'run progress' } });
  private readonly status = h('span', { class: 'status', attrs: { role: 'status' } });

  constructor(state: PersistedState, inputs: [string, string][], input: string, actions: ToolbarActions) {
    this.inputSelect = select(inputs, input, (value) => actions.chooseInput(value), { attrs: { 'aria-label': 'input' } });
    const normalization = select(
      [
        ['auto', 'auto'],
        ['imagenet', NORMALIZATIONS.imagenet.label],
        ['unit', NORMALIZATIONS.unit.label],
      ],
      state.normalization,
      (value) => actions.setNormalization(value === 'imagenet' || value === 'unit' ? value : 'auto'),
      { title: 'auto: ImageNet mean/std for 3-channel inputs, [0, 1] otherwise', attrs: { 'aria-label': 'normalization' } },
    );
    this.seedInput = h('input', {
      class: 'seed',
      attrs: { type: 'number', min: '0', step: '1', value: String(state.seed), 'aria-label': 'random seed' },
    });
    const size = select(
      [
        ['48', 'small'],
        ['80', 'medium'],
        ['128', 'large'],
      ],
      String(state.size),
      (value) => actions.setSize(Number(value)),
      { attrs: { 'aria-label': 'heatmap size' } },
    );
    this.weightsFileButton = button('Weights file…', () => actions.pickWeights(), { class: 'secondary', title: WEIGHTS_FILE_TITLE });
    this.cancelButton = button('Cancel', () => actions.cancel(), { class: 'secondary', title: 'stop the run' });
    this.cancelButton.disabled = true;
    const useRandom = (): void => {
      const seed = Number(this.seedInput.value);
      if (Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff) actions.useRandomWeights(seed);
      else this.notice('warning', `the seed must be an integer from 0 to ${0xffffffff}`);
    };
    this.element = h(
      'header',
      { class: 'toolbar' },
      h('div', { class: 'heading' }, this.title, this.weightsLabel, this.inputLabel),
      h(
        'div',
        { class: 'controls' },
        labelled('Input', this.inputSelect),
        button('Use image…', () => actions.pickImage(), { class: 'secondary', title: 'pick a PNG or JPEG from the workspace' }),
        labelled('Normalize', normalization),
        this.weightsFileButton,
        button('Random weights', useRandom, { class: 'secondary', title: 'PyTorch-default initialization from the seed' }),
        labelled('Seed', this.seedInput),
        labelled('Size', size),
      ),
      h(
        'div',
        { class: 'run-status' },
        button('Run', () => actions.run(), { title: 'run the model again' }),
        this.cancelButton,
        this.progress,
        this.status,
      ),
    );
  }

  setTitle(text: string): void {
    this.title.textContent = text;
  }

  /** The weights label, always visible: "random weights (seed 0)" or "weights from x.safetensors". */
  setWeights(label: string): void {
    this.weightsLabel.textContent = label;
  }

  get weights(): string {
    return this.weightsLabel.textContent ?? '';
  }

  setInputLabel(label: string): void {
    this.inputLabel.textContent = label;
  }

  setInputs(options: [string, string][], value: string): void {
    this.inputSelect.replaceChildren(...options.map(([v, label]) => h('option', { attrs: { value: v } }, label)));
    this.inputSelect.value = value;
  }

  setSeed(seed: number): void {
    this.seedInput.value = String(seed);
  }

  /** A weights file is a PyTorch state_dict: TensorFlow.js models run with random weights only. */
  setWeightsFileAllowed(allowed: boolean): void {
    this.weightsFileButton.disabled = !allowed;
    this.weightsFileButton.title = allowed
      ? WEIGHTS_FILE_TITLE
      : 'TensorFlow.js models run with random weights (a .safetensors file holds PyTorch names and layouts)';
  }

  /** Whether a run is going (Cancel is enabled only then). */
  setRunning(running: boolean): void {
    this.cancelButton.disabled = !running;
  }

  /** `done` layers of `total` (total: unchanged when omitted). */
  setProgress(done: number, total?: number): void {
    if (total !== undefined) this.progress.max = Math.max(1, total);
    this.progress.value = done;
  }

  setStatus(text: string, detail = ''): void {
    this.status.textContent = text;
    this.status.title = detail;
  }

  notice(level: 'info' | 'warning' | 'error', text: string): void {
    const item = h('div', { class: `notice ${level}`, attrs: { role: level === 'error' ? 'alert' : 'status' } }, h('span', {}, text));
    item.append(button('✕', () => item.remove(), { class: 'icon', title: 'dismiss', attrs: { 'aria-label': 'dismiss' } }));
    this.notices.append(item);
  }
}
