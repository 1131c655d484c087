// ConvLens command-line interface: a thin Node shell around the pure core.
// Exit status (contract §3): 0 no error diagnostics, 1 at least one error, 2 usage or I/O error.

import { runCheckCommand } from './cli/check';
import { runRunCommand } from './cli/run';
import { runEvalCommand } from './cli/eval';

const USAGE = `Usage:
  convlens check FILE... [--json]         shapes, params, MACs and diagnostics of model files
  convlens run MODEL [--weights W.safetensors] [--input X.npy] [--layer NAME] [--out Y.npy] [--repeat N] [--json] [--verbose]
  convlens eval GT.json DETS.json [--metric coco|voc07|voc12] [--iou T] [--json]
  convlens --help | --version`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheckCommand(rest);
    case 'run':
      return runRunCommand(rest);
    case 'eval':
      return runEvalCommand(rest);
    case '--version':
    case '-v':
      process.stdout.write(`convlens ${VERSION}\n`);
      return 0;
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE + '\n');
      return 0;
    default:
      process.stderr.write(command === undefined ? USAGE + '\n' : `convlens: unknown command '${command}'\n${USAGE}\n`);
      return 2;
  }
}

declare const CONVLENS_VERSION: string | undefined;
const VERSION = typeof CONVLENS_VERSION === 'string' ? CONVLENS_VERSION : '0.1.0';

if (require.main === module) {
  // `convlens check … | head` closes the pipe early: stop quietly instead of an EPIPE stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`convlens: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
