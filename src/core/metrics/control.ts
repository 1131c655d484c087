// Drives an evaluation written as a generator of progress fractions. The evaluators yield between
// batches of images and between categories; these drivers report progress, poll cancellation
// and, in the async form, give the event loop a turn so a webview or worker stays responsive
// and a cancel message can arrive.

import type { EvaluationControl, EvaluationOutcome } from './dataset';

export type EvaluationSteps<T> = Generator<number, T, void>;

function isCancelled(control: EvaluationControl): boolean {
  return control.signal?.aborted === true || control.isCancelled?.() === true;
}

/** Runs the steps synchronously: cancellation only takes effect if isCancelled can change meanwhile (e.g. a deadline). */
export function runEvaluation<T>(steps: EvaluationSteps<T>, control: EvaluationControl = {}): EvaluationOutcome<T> {
  if (isCancelled(control)) return { status: 'cancelled' };
  for (;;) {
    const next = steps.next();
    if (next.done === true) {
      control.onProgress?.(1);
      return { status: 'done', result: next.value };
    }
    control.onProgress?.(next.value);
    if (isCancelled(control)) {
      steps.return(undefined as never);
      return { status: 'cancelled' };
    }
  }
}

export interface AsyncEvaluationControl extends EvaluationControl {
  /** Longest stretch of work, in milliseconds, between two turns of the event loop (default 16). */
  sliceMs?: number;
}

/** Runs the steps in slices, yielding to the event loop between them. */
export async function runEvaluationAsync<T>(
  steps: EvaluationSteps<T>,
  control: AsyncEvaluationControl = {},
): Promise<EvaluationOutcome<T>> {
  const sliceMs = control.sliceMs ?? 16;
  let sliceStart = Date.now();
  if (isCancelled(control)) return { status: 'cancelled' };
  for (;;) {
    const next = steps.next();
    if (next.done === true) {
      control.onProgress?.(1);
      return { status: 'done', result: next.value };
    }
    control.onProgress?.(next.value);
    if (Date.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      sliceStart = Date.now();
    }
    if (isCancelled(control)) {
      steps.return(undefined as never);
      return { status: 'cancelled' };
    }
  }
}
