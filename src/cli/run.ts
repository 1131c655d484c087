// Placeholder until the `run` command lands; it exits with a usage error rather than pretending.
export async function runRunCommand(_argv: string[]): Promise<number> {
  process.stderr.write('convlens: the `run` command is not available in this build\n');
  return 2;
}
