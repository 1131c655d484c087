// Detection metrics: IoU, COCO (pycocotools-exact) and PASCAL VOC average precision, dataset
// validation and result formatting. Pure: no vscode, no Node-only module.

import { cocoEvaluationSteps, type CocoEvaluation } from './coco-eval';
import { runEvaluation, runEvaluationAsync, type AsyncEvaluationControl } from './control';
import type { DetectionDataset, EvaluationControl, EvaluationOutcome } from './dataset';
import { vocEvaluationSteps, type VocEvaluation, type VocMetric } from './voc-eval';

export * from './boxes';
export * from './dataset';
export * from './coco-format';
export * from './interpolation';
export * from './coco-eval';
export * from './coco-summary';
export * from './voc-eval';
export * from './control';
export * from './format';

export function evaluateCoco(dataset: DetectionDataset, control?: EvaluationControl): EvaluationOutcome<CocoEvaluation> {
  return runEvaluation(cocoEvaluationSteps(dataset), control);
}

export function evaluateCocoAsync(dataset: DetectionDataset, control?: AsyncEvaluationControl): Promise<EvaluationOutcome<CocoEvaluation>> {
  return runEvaluationAsync(cocoEvaluationSteps(dataset), control);
}

export function evaluateVoc(
  dataset: DetectionDataset,
  metric: VocMetric,
  iouThreshold = 0.5,
  control?: EvaluationControl,
): EvaluationOutcome<VocEvaluation> {
  return runEvaluation(vocEvaluationSteps(dataset, metric, iouThreshold), control);
}

export function evaluateVocAsync(
  dataset: DetectionDataset,
  metric: VocMetric,
  iouThreshold = 0.5,
  control?: AsyncEvaluationControl,
): Promise<EvaluationOutcome<VocEvaluation>> {
  return runEvaluationAsync(vocEvaluationSteps(dataset, metric, iouThreshold), control);
}
