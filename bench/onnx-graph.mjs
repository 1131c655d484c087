// An ONNX model (opset 13) from an engine analysis and its weights, written as protobuf bytes
// without any ONNX library, so onnxruntime-web can run the very network and weights the engine
// runs (bench/conv.mjs). Only the fields the graph needs are encoded (onnx/onnx.proto field
// numbers in the comments); every layer kind the benchmark's models use is mapped, others throw.

// --- protobuf wire format -----------------------------------------------------------------------
const utf8 = new TextEncoder();

class Writer {
  constructor() {
    this.chunks = [];
    this.length = 0;
  }
  bytes(b) {
    this.chunks.push(b);
    this.length += b.length;
  }
  varint(v) {
    // Values here are non-negative and below 2^53; BigInt keeps the arithmetic exact above 2^31.
    let n = BigInt(v);
    const out = [];
    do {
      let byte = Number(n & 0x7fn);
      n >>= 7n;
      if (n > 0n) byte |= 0x80;
      out.push(byte);
    } while (n > 0n);
    this.bytes(Uint8Array.from(out));
  }
  tag(field, wire) {
    this.varint(field * 8 + wire);
  }
  int(field, v) {
    this.tag(field, 0);
    this.varint(v);
  }
  float(field, v) {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.bytes(b);
  }
  raw(field, b) {
    this.tag(field, 2);
    this.varint(b.length);
    this.bytes(b);
  }
  string(field, s) {
    this.raw(field, utf8.encode(s));
  }
  message(field, build) {
    const inner = new Writer();
    build(inner);
    this.raw(field, inner.finish());
  }
  finish() {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) out.set(c, (at += c.length) - c.length);
    return out;
  }
}

const FLOAT = 1; // TensorProto.DataType.FLOAT

// AttributeProto: name 1, f 2, i 3, ints 8, type 20 (FLOAT 1, INT 2, INTS 7).
const attrInt = (name, i) => (w) => (w.string(1, name), w.int(3, i), w.int(20, 2));
const attrFloat = (name, f) => (w) => (w.string(1, name), w.float(2, f), w.int(20, 1));
const attrInts = (name, ints) => (w) => (w.string(1, name), ints.forEach((i) => w.int(8, i)), w.int(20, 7));

// --- the graph ----------------------------------------------------------------------------------
/**
 * ONNX bytes for `analysis` (an engine ModelAnalysis) with `byLayer` (layer → {weight, bias, …}
 * engine tensors), input "input" and the last layer's output "output". The batch norms stay
 * BatchNormalization nodes: onnxruntime folds them into the convolutions itself, as it fuses
 * Conv + Clip/Relu and Conv + Add, so it runs its own best graph.
 */
export function onnxFromAnalysis(analysis, byLayer) {
  const nodes = [];
  const initializers = [];
  const tensor = (name, dims, data, type = FLOAT) => {
    initializers.push({ name, dims, data, type });
    return name;
  };
  let constants = 0;
  const scalar = (v) => tensor(`const_${constants++}`, [], Float32Array.of(v));
  const node = (op, inputs, output, attrs = []) => nodes.push({ op, inputs, output, attrs, name: output });
  const last = analysis.layers[analysis.layers.length - 1].name;
  const out = (layer) => (layer.name === last ? 'output' : layer.name);
  const src = (layer) => layer.inputs.map((n) => (n === 'input' ? 'input' : n));
  for (const layer of analysis.layers) {
    const p = byLayer.get(layer.name) ?? {};
    const g = layer.geometry;
    const ins = src(layer);
    const param = (k) => tensor(`${layer.name}.${k}`, p[k].shape, p[k].data);
    switch (layer.kind) {
      case 'conv2d': {
        const inputs = [ins[0], param('weight')];
        if (p.bias) inputs.push(param('bias'));
        node('Conv', inputs, out(layer), [
          attrInts('kernel_shape', [g.h.kernel, g.w.kernel]),
          attrInts('strides', [g.h.stride, g.w.stride]),
          attrInts('dilations', [g.h.dilation, g.w.dilation]),
          attrInts('pads', [g.h.padBefore, g.w.padBefore, g.h.padAfter, g.w.padAfter]),
          attrInt('group', layer.attrs.groups ?? 1),
        ]);
        break;
      }
      case 'batchnorm2d':
        node('BatchNormalization', [ins[0], param('weight'), param('bias'), param('running_mean'), param('running_var')], out(layer), [
          attrFloat('epsilon', layer.attrs.eps ?? 1e-5),
        ]);
        break;
      case 'relu':
        node('Relu', ins, out(layer));
        break;
      case 'relu6':
        node('Clip', [ins[0], scalar(0), scalar(6)], out(layer));
        break;
      case 'maxpool2d':
        node('MaxPool', ins, out(layer), [
          attrInts('kernel_shape', [g.h.kernel, g.w.kernel]),
          attrInts('strides', [g.h.stride, g.w.stride]),
          attrInts('dilations', [g.h.dilation, g.w.dilation]),
          attrInts('pads', [g.h.padBefore, g.w.padBefore, g.h.padAfter, g.w.padAfter]),
        ]);
        break;
      case 'add':
        if (ins.length !== 2) throw new Error(`onnx graph: add of ${ins.length} inputs not mapped`);
        node('Add', ins, out(layer));
        break;
      case 'adaptive_avgpool2d': {
        const shape = layer.outputShape;
        if (shape[2] !== 1 || shape[3] !== 1) throw new Error('onnx graph: adaptive_avgpool2d to more than 1×1 not mapped');
        node('GlobalAveragePool', ins, out(layer));
        break;
      }
      case 'flatten':
        node('Flatten', ins, out(layer), [attrInt('axis', 1)]);
        break;
      case 'dropout':
        node('Identity', ins, out(layer));
        break;
      case 'linear': {
        const inputs = [ins[0], param('weight')];
        if (p.bias) inputs.push(param('bias'));
        node('Gemm', inputs, out(layer), [attrInt('transB', 1)]);
        break;
      }
      default:
        throw new Error(`onnx graph: ${layer.kind} not mapped`);
    }
  }
  const outputShape = analysis.layers[analysis.layers.length - 1].outputShape;
  return encodeModel(nodes, initializers, analysis.input, outputShape);
}

/** A graph of one convolution (weight OIHW, no bias), for the single-layer rows. */
export function onnxConv(inputShape, weight, { stride, pad, groups }, outputShape) {
  const [, , kh, kw] = weight.shape;
  const nodes = [
    {
      op: 'Conv',
      name: 'conv',
      inputs: ['input', 'weight'],
      output: 'output',
      attrs: [
        attrInts('kernel_shape', [kh, kw]),
        attrInts('strides', [stride, stride]),
        attrInts('pads', [pad, pad, pad, pad]),
        attrInt('group', groups),
      ],
    },
  ];
  return encodeModel(nodes, [{ name: 'weight', dims: weight.shape, data: weight.data, type: FLOAT }], inputShape, outputShape);
}

function encodeModel(nodes, initializers, inputShape, outputShape) {
  const valueInfo = (name, shape) => (w) => {
    w.string(1, name); // ValueInfoProto.name
    w.message(2, (t) =>
      // TypeProto.tensor_type 1 { elem_type 1, shape 2 { dim 1 { dim_value 1 } } }
      t.message(1, (tt) => {
        tt.int(1, FLOAT);
        tt.message(2, (s) => shape.forEach((d) => s.message(1, (dim) => dim.int(1, d))));
      }),
    );
  };
  const model = new Writer();
  model.int(1, 7); // ModelProto.ir_version (IR 7 goes with opset 13)
  model.string(2, 'convlens-bench'); // producer_name
  model.message(7, (graph) => {
    for (const n of nodes) {
      // NodeProto: input 1, output 2, name 3, op_type 4, attribute 5
      graph.message(1, (w) => {
        n.inputs.forEach((i) => w.string(1, i));
        w.string(2, n.output);
        w.string(3, n.name);
        w.string(4, n.op);
        n.attrs.forEach((a) => w.message(5, a));
      });
    }
    graph.string(2, 'main'); // GraphProto.name
    for (const t of initializers) {
      // TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian, as typed arrays are here)
      graph.message(5, (w) => {
        t.dims.forEach((d) => w.int(1, d));
        w.int(2, t.type);
        w.string(8, t.name);
        w.raw(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      });
    }
    graph.message(11, valueInfo('input', inputShape)); // GraphProto.input
    graph.message(12, valueInfo('output', outputShape)); // GraphProto.output
  });
  model.message(8, (w) => (w.string(1, ''), w.int(2, 13))); // opset_import { domain, version }
  return model.finish();
}
