// The preview page's number formats. Shapes read as they do in the CLI and the hovers: the core's
// one formatter.

export { formatShape } from '../../../src/core/format';

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}
