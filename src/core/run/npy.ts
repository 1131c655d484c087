// The NumPy .npy format (versions 1, 2 and 3), read and written without a dependency:
// "\x93NUMPY", major, minor, a little-endian header length (2 bytes in v1, 4 in v2/3), then a
// Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), },
// space-padded so the data starts on a 64-byte boundary. float16/32/64 in C order are read (either
// byte order); float32 is written.

import { halfToFloat } from './safetensors';
import { EngineError, formatShape, shapeSize, tensor, type Tensor } from '../engine/tensor';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(bytes: Uint8Array): Tensor {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) throw new EngineError('not a .npy file (no \\x93NUMPY magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  let headerLength: number, headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new EngineError('.npy file truncated in its header');
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new EngineError(`.npy format version ${major} is not supported (1, 2 and 3 are)`);
  }
  if (headerStart + headerLength > bytes.length) throw new EngineError('.npy file truncated in its header');
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new EngineError(`.npy header not understood: ${header.trim()}`);
  if (fortran === 'True') throw new EngineError('.npy array is in Fortran order; save it with numpy.ascontiguousarray first');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new EngineError(`.npy shape (${shapeText}) not understood`);
  const match = /^([<>|=])f([248])$/.exec(descr);
  if (match === null) throw new EngineError(`.npy dtype '${descr}' is not supported (float16, float32 and float64 are)`);
  const littleEndian = match[1] !== '>';
  const width = Number(match[2]);
  const count = shapeSize(shape);
  const dataStart = headerStart + headerLength;
  if (bytes.length - dataStart < count * width) {
    throw new EngineError(
      `.npy data truncated: shape ${formatShape(shape)} of '${descr}' needs ${count * width} bytes, the file has ${bytes.length - dataStart}`,
    );
  }
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const at = dataStart + i * width;
    out[i] =
      width === 4
        ? view.getFloat32(at, littleEndian)
        : width === 8
          ? view.getFloat64(at, littleEndian)
          : halfToFloat(view.getUint16(at, littleEndian));
  }
  return tensor(shape, out);
}

/** A version 1.0 .npy file holding `t` as little-endian float32 in C order. */
export function encodeNpy(t: Tensor): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const bytes = new Uint8Array(10 + header.length + t.data.length * 4);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  const view = new DataView(bytes.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  const dataStart = 10 + header.length;
  for (let i = 0; i < t.data.length; i++) view.setFloat32(dataStart + 4 * i, t.data[i]!, true);
  return bytes;
}
