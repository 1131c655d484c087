import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { encodeNpy, parseNpy } from '../../src/core/run/npy';
import { halfToFloat, parseSafetensors } from '../../src/core/run/safetensors';
import { tensor } from '../../src/core/engine/tensor';
import { FIXTURES } from './engine-support.test';

function npyBytes(header: string, data: Uint8Array, version = 1): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const padded = header + ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(prefix + padded.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  for (let i = 0; i < padded.length; i++) out[prefix + i] = padded.charCodeAt(i);
  out.set(data, prefix + padded.length);
  return out;
}

function safetensorsBytes(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('engine .npy', () => {
  it('reads the fixtures numpy wrote (float32 and float64)', () => {
    const f32 = parseNpy(readFileSync(path.join(FIXTURES, 'resnet_small.input.npy')));
    assert.deepEqual(f32.shape, [2, 3, 32, 32]);
    const f64 = parseNpy(readFileSync(path.join(FIXTURES, 'mixed_dtypes.input.npy')));
    assert.deepEqual(f64.shape, [1, 3, 15, 13]);
    assert.ok(f64.data.every((v) => Number.isFinite(v)));
  });

  it('round-trips float32 through encodeNpy with a 64-byte aligned header', () => {
    for (const shape of [[5], [2, 3], [1, 2, 3, 4], []]) {
      const t = tensor(
        shape,
        Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i * 0.5 - 1),
      );
      const bytes = encodeNpy(t);
      const headerLength = new DataView(bytes.buffer).getUint16(8, true);
      assert.equal((10 + headerLength) % 64, 0);
      const back = parseNpy(bytes);
      assert.deepEqual(back.shape, shape);
      assert.deepEqual([...back.data], [...t.data]);
    }
  });

  it('reads big-endian, float16 and version 2 headers', () => {
    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat32(0, 1.5, false);
    new DataView(be.buffer).setFloat32(4, -2, false);
    assert.deepEqual([...parseNpy(npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", be)).data], [1.5, -2]);
    const half = Uint8Array.from([0x00, 0x3c, 0x00, 0xc0]);
    assert.deepEqual([...parseNpy(npyBytes("{'descr': '<f2', 'fortran_order': False, 'shape': (1, 2), }", half, 2)).data], [1, -2]);
  });

  it('refuses what it cannot read, saying why', () => {
    assert.throws(() => parseNpy(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])), /magic/);
    assert.throws(
      () => parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new Uint8Array(16))),
      /Fortran order/,
    );
    assert.throws(() => parseNpy(npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(16))), /dtype '<i8'/);
    assert.throws(() => parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", new Uint8Array(8))), /truncated/);
  });
});

describe('engine .safetensors', () => {
  it('reads F32, F16, BF16, F64 and I64 tensors from the fixture written by the generator', () => {
    const file = parseSafetensors(readFileSync(path.join(FIXTURES, 'mixed_dtypes.safetensors')));
    assert.equal(file.dtypes.get('conv1.weight'), 'F16');
    assert.equal(file.dtypes.get('dw.weight'), 'BF16');
    assert.equal(file.dtypes.get('fc1.weight'), 'F64');
    assert.equal(file.dtypes.get('bn.num_batches_tracked'), 'I64');
    assert.deepEqual(file.tensors.get('conv1.weight')?.shape, [6, 3, 5, 5]);
    assert.deepEqual(file.tensors.get('bn.num_batches_tracked')?.shape, []);
    assert.equal(file.metadata.format, 'pt');
  });

  it('converts half and bfloat16 bit patterns exactly', () => {
    assert.equal(halfToFloat(0x3c00), 1);
    assert.equal(halfToFloat(0xc000), -2);
    assert.equal(halfToFloat(0x7bff), 65504);
    assert.equal(halfToFloat(0x0001), 2 ** -24);
    assert.equal(halfToFloat(0x7c00), Infinity);
    assert.ok(Number.isNaN(halfToFloat(0x7e00)));
    const bf = parseSafetensors(
      safetensorsBytes({ x: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, Uint8Array.from([0x80, 0x3f, 0x20, 0xc1])),
    );
    assert.deepEqual([...bf.tensors.get('x')!.data], [1, -10]);
  });

  it('refuses malformed files with a message naming the problem', () => {
    assert.throws(() => parseSafetensors(new Uint8Array(4)), /shorter than the 8-byte header length/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1000n, true);
    assert.throws(() => parseSafetensors(huge), /exceeds the file size/);
    assert.throws(
      () => parseSafetensors(safetensorsBytes({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8))),
      /x: data_offsets \[0, 8\] do not hold \[3\] F32 \(12 bytes\)/,
    );
    assert.throws(
      () => parseSafetensors(safetensorsBytes({ x: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1))),
      /dtype F8_E4M3 is not supported/,
    );
    const notJson = new Uint8Array(12);
    new DataView(notJson.buffer).setBigUint64(0, 4n, true);
    notJson.set([0x7b, 0x7b, 0x7b, 0x7b], 8);
    assert.throws(() => parseSafetensors(notJson), /not JSON/);
  });
});
