// Reading and writing files for the CLI, defensively: only regular files are read, each up to a
// size named by the caller (so `check /dev/zero` or a 100 GB .npy is refused before a byte is
// read), and an output is written to a temporary file renamed into place, never onto an input.

import { closeSync, fstatSync, openSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatBytes } from '../core/format';

export class FileError extends Error {}

/** Reads a regular file of at most `maxBytes`; anything else is a FileError naming the file. */
export function readRegularFile(file: string, what: string, maxBytes: number, limitHint = ''): Uint8Array {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new FileError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new FileError(`${what} ${file} is not a regular file (a device, pipe or directory); ConvLens reads files only`);
    if (stat.size > maxBytes) {
      throw new FileError(
        `${what} ${file} is ${formatBytes(BigInt(stat.size))}, over the ${formatBytes(BigInt(maxBytes))} ConvLens reads${limitHint}`,
      );
    }
    const bytes = new Uint8Array(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return read === bytes.length ? bytes : bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Text of a model file: UTF-8 (a BOM is dropped), or UTF-16 when it starts with a UTF-16 BOM. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
}

/** The same file (device and inode, after symlinks), or undefined when `file` does not exist. */
function identity(file: string): string | undefined {
  try {
    const stat = statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Writes `bytes` to `out` through a temporary file in the same directory and a rename, so a
 * reader never sees half a file and a failed write leaves the old one. Refuses when `out` is one
 * of `inputs` (the same file by device and inode: a symlink or hard link to it counts).
 */
export function writeOutputFile(out: string, bytes: Uint8Array, inputs: { file: string; what: string }[]): void {
  const target = identity(out);
  if (target !== undefined) {
    for (const input of inputs) {
      if (identity(input.file) === target)
        throw new FileError(`--out ${out} is the ${input.what} ${input.file}; not overwriting an input (choose another file name)`);
    }
  }
  const temp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temp, bytes, { flag: 'wx' });
    renameSync(temp, out);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone or never written.
    }
    throw new FileError(`cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
