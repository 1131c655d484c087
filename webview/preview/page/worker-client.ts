// Starts and talks to the engine's Web Worker. The worker script arrives as text from the
// extension and runs from a blob: URL (the CSP's worker-src allows blob:): a webview cannot start
// a worker from its resource URL, which is cross-origin in VS Code desktop. A hard cancel
// terminates the worker; the next request starts a fresh one and hands it the weights again.

import type { WeightsPayload } from '../../../src/shared/preview-messages';
import type { FromWorker, ToWorker } from '../protocol';

export class WorkerClient {
  private url: string | undefined;
  private worker: Worker | undefined;
  private weights: { token: number; weights: WeightsPayload } | undefined;

  constructor(
    private readonly onMessage: (message: FromWorker) => void,
    private readonly onCrash: (message: string) => void,
  ) {}

  get hasSource(): boolean {
    return this.url !== undefined;
  }

  setSource(source: string): void {
    this.terminate();
    if (this.url !== undefined) URL.revokeObjectURL(this.url);
    this.url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  }

  setWeights(token: number, weights: WeightsPayload): void {
    this.weights = { token, weights };
    this.worker?.postMessage({ type: 'weights', token, weights } satisfies ToWorker);
  }

  post(message: ToWorker, transfer: Transferable[] = []): void {
    this.ensure().postMessage(message, transfer);
  }

  /** Stops whatever the worker is doing, at once. */
  terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }

  private ensure(): Worker {
    if (this.worker !== undefined) return this.worker;
    if (this.url === undefined) throw new Error('the worker script has not arrived yet');
    const worker = new Worker(this.url, { name: 'convlens-preview-engine' });
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      if (worker === this.worker) this.onMessage(event.data);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      if (worker !== this.worker) return;
      this.terminate();
      this.onCrash(event.message || 'the engine worker stopped');
    };
    this.worker = worker;
    if (this.weights) worker.postMessage({ type: 'weights', token: this.weights.token, weights: this.weights.weights } satisfies ToWorker);
    return worker;
  }
}
