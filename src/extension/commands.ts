// Every command id ConvLens registers, in one place; package.json's `contributes.commands` lists
// the same ids (the integration suite checks that the two agree).

export const Commands = {
  showModelSummary: 'convlens.showModelSummary',
  copySummaryMarkdown: 'convlens.copySummaryMarkdown',
  copySummaryCsv: 'convlens.copySummaryCsv',
  toggleInlineShapes: 'convlens.toggleInlineShapes',
  previewLayerOutputs: 'convlens.previewLayerOutputs',
  evaluateDetections: 'convlens.evaluateDetections',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
