// The module tree and data flow of a built Ultralytics model, as plain data.
//
// Two things are recorded separately because Ultralytics' summary counts them separately:
// - leaf modules (PyTorch modules without children): what `model.named_modules()` yields, so a module
//   instance that is shared (Conv's class-level SiLU) is one leaf however often it is called;
// - op nodes: every call of a leaf module and every functional op (chunk, cat, matmul...), in forward
//   order, with the shapes flowing between them. THOP counts the calls, the layer count counts leaves.

export type Shape = number[];

export type AttrValue = number | boolean | string | null | number[];

export interface LeafModule {
  /** Position in `model.named_modules()` order among the leaves. */
  index: number;
  /** State-dict style name where the module is first registered (`model.2.m.0.cv1.conv`). */
  name: string;
  /** ConvLens kind name (conv2d, batchnorm2d, silu...). */
  kind: string;
  attrs: Record<string, AttrValue>;
  parameters: number;
  /** Parameters with requires_grad=False (the DFL projection). */
  frozenParameters: number;
  /** The model row (index in backbone + head) that created it. */
  row: number;
}

export interface TensorRef {
  node: number;
  output: number;
}

export interface OpNode {
  id: number;
  row: number;
  kind: string;
  /** The leaf module called, or undefined for functional ops (torch.cat, chunk, matmul...). */
  module?: number;
  name: string;
  attrs: Record<string, AttrValue>;
  inputs: TensorRef[];
  outputs: Shape[];
  /** Operations as THOP counts them (multiply-accumulates for convs, without bias). */
  thopOps: number;
  /** Multiply-accumulates in ConvLens's (torchvision-style) convention. */
  macs: number;
}

export interface Tensor {
  ref: TensorRef;
  shape: Shape;
}

/** A problem found while building one row, with the argument it concerns when known. */
export class RowError extends Error {
  constructor(
    message: string,
    readonly argIndex?: number,
  ) {
    super(message);
  }
}

export const numel = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

export const fmtShape = (shape: Shape): string => `[${shape.join(', ')}]`;

export class GraphBuilder {
  readonly leaves: LeafModule[] = [];
  readonly nodes: OpNode[] = [];
  private readonly shared = new Map<string, LeafModule>();
  /** Parameters that belong to a container module, not to a leaf (A2C2f.gamma). */
  containerParameters = 0;
  row = -1;

  input(shape: Shape): Tensor {
    const node = this.push({ kind: 'input', name: 'input', attrs: {}, inputs: [], outputs: [shape], thopOps: 0, macs: 0 });
    return { ref: { node: node.id, output: 0 }, shape };
  }

  /** Registers a leaf module instance (one per `nn.Module` object). */
  leaf(name: string, kind: string, attrs: Record<string, AttrValue>, parameters: number, frozenParameters = 0): LeafModule {
    const leaf: LeafModule = { index: this.leaves.length, name, kind, attrs, parameters, frozenParameters, row: this.row };
    this.leaves.push(leaf);
    return leaf;
  }

  /** A module object shared by every user (Conv.default_act): registered once, under its first name. */
  sharedLeaf(key: string, name: string, kind: string): LeafModule {
    const existing = this.shared.get(key);
    if (existing) return existing;
    const leaf = this.leaf(name, kind, {}, 0);
    this.shared.set(key, leaf);
    return leaf;
  }

  /** A call of a leaf module with one input and one output. */
  call(leaf: LeafModule, name: string, x: Tensor[], out: Shape, thopOps = 0, macs = 0): Tensor {
    const node = this.push({
      kind: leaf.kind,
      module: leaf.index,
      name,
      attrs: leaf.attrs,
      inputs: x.map((t) => t.ref),
      outputs: [out],
      thopOps,
      macs,
    });
    return { ref: { node: node.id, output: 0 }, shape: out };
  }

  /** A functional op (no module, no parameters, 0 THOP ops). */
  fn(kind: string, name: string, attrs: Record<string, AttrValue>, x: Tensor[], outs: Shape[], macs = 0): Tensor[] {
    const node = this.push({ kind, name, attrs, inputs: x.map((t) => t.ref), outputs: outs, thopOps: 0, macs });
    return outs.map((shape, output) => ({ ref: { node: node.id, output }, shape }));
  }

  fn1(kind: string, name: string, attrs: Record<string, AttrValue>, x: Tensor[], out: Shape, macs = 0): Tensor {
    return this.fn(kind, name, attrs, x, [out], macs)[0] as Tensor;
  }

  private push(node: Omit<OpNode, 'id' | 'row'>): OpNode {
    const full: OpNode = { id: this.nodes.length, row: this.row, ...node };
    this.nodes.push(full);
    return full;
  }
}
