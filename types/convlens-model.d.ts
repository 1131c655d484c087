// ConvLens model files in TypeScript (`*.cnn.ts`): the ModelSpec type.
//
// GENERATED from the layer registry (src/core/kinds) by src/core/frontends/ts/model-types.ts; do not
// edit. After adding a layer kind, regenerate with:
//   node scripts/generate.mjs
//
// Usage (ConvLens reads the file statically and never runs it):
//
//   import type { ModelSpec } from './convlens-model';   // a relative path to this file
//   export default {
//     name: 'tiny',
//     input: [1, 3, 32, 32],
//     layers: [{ name: 'conv1', conv2d: { out_channels: 16, kernel_size: 3, padding: 1 } }, { relu: {} }],
//   } satisfies ModelSpec;

/** `k` or `[kh, kw]`. */
export type Pair = number | readonly [number, number];
/** Zero padding per side (`p` or `[ph, pw]`), or 'same' / 'valid'. */
export type Padding = Pair | 'same' | 'valid';
/** `k` or `[h, w]`; null keeps that input dimension. */
export type OutputSize = number | readonly [number | null, number | null];
/** `s` or `[sh, sw]`, positive numbers. */
export type Scale = number | readonly [number, number];
/** A kind without parameters: `{}`. */
export type NoParams = { readonly [key: string]: never };

/** Parameters of `conv2d` (torch.nn.Conv2d). */
export interface Conv2dParams {
  /** Number of filters (output channels). Required. */
  out_channels: number;
  /** Filter size k or [kh, kw]. Required. */
  kernel_size: Pair;
  /** Step between windows. Default: 1. */
  stride?: Pair;
  /** Zero padding per side, or 'same' (stride 1 only) / 'valid'. Default: 0. */
  padding?: Padding;
  /** Spacing between kernel taps. Default: 1. */
  dilation?: Pair;
  /** Blocked connections: in and out channels must both divide by it. Default: 1. */
  groups?: number;
  /** Adds a learnable bias per output channel. Default: true. */
  bias?: boolean;
  /** Optional: checked against the input channels. */
  in_channels?: number;
}

/** Parameters of `conv_transpose2d` (torch.nn.ConvTranspose2d). */
export interface ConvTranspose2dParams {
  /** Number of output channels. Required. */
  out_channels: number;
  /** Filter size k or [kh, kw]. Required. */
  kernel_size: Pair;
  /** Upsampling factor. Default: 1. */
  stride?: Pair;
  /** Implicit zero padding removed from each side of the output. Default: 0. */
  padding?: Pair;
  /** Extra size added to one side of the output; smaller than stride or dilation. Default: 0. */
  output_padding?: Pair;
  /** Spacing between kernel taps. Default: 1. */
  dilation?: Pair;
  /** Blocked connections. Default: 1. */
  groups?: number;
  /** Adds a learnable bias per output channel. Default: true. */
  bias?: boolean;
  /** Optional: checked against the input channels. */
  in_channels?: number;
}

/** Parameters of `maxpool2d` (torch.nn.MaxPool2d). */
export interface Maxpool2dParams {
  /** Window size k or [kh, kw]. Required. */
  kernel_size: Pair;
  /** Step between windows (default: kernel_size). Default: kernel_size. */
  stride?: Pair;
  /** Implicit −∞ padding per side; at most kernel_size / 2. Default: 0. */
  padding?: Pair;
  /** Spacing between window taps. Default: 1. */
  dilation?: Pair;
  /** Round the output size up (PyTorch drops a last window that would start in the right padding). Default: false. */
  ceil_mode?: boolean;
}

/** Parameters of `avgpool2d` (torch.nn.AvgPool2d). */
export interface Avgpool2dParams {
  /** Window size k or [kh, kw]. Required. */
  kernel_size: Pair;
  /** Step between windows (default: kernel_size). Default: kernel_size. */
  stride?: Pair;
  /** Implicit zero padding per side; at most kernel_size / 2. Default: 0. */
  padding?: Pair;
  /** Round the output size up (PyTorch drops a last window that would start in the right padding). Default: false. */
  ceil_mode?: boolean;
  /** Count the zero padding in the average’s divisor. Default: true. */
  count_include_pad?: boolean;
}

/** Parameters of `adaptive_avgpool2d` (torch.nn.AdaptiveAvgPool2d). */
export interface AdaptiveAvgpool2dParams {
  /** Target size k or [h, w]; null keeps that input dimension. Required. */
  output_size: OutputSize;
}

/** Parameters of `adaptive_maxpool2d` (torch.nn.AdaptiveMaxPool2d). */
export interface AdaptiveMaxpool2dParams {
  /** Target size k or [h, w]; null keeps that input dimension. Required. */
  output_size: OutputSize;
}

/** Parameters of `batchnorm2d` (torch.nn.BatchNorm2d). */
export interface Batchnorm2dParams {
  /** Added to the variance for stability. Default: 0.00001. */
  eps?: number;
  /** Running-statistics update rate (training only). Default: 0.1. */
  momentum?: number;
  /** Learnable weight and bias. Default: true. */
  affine?: boolean;
  /** Optional: checked against the input channels. */
  num_features?: number;
}

/** `relu` takes no parameters: write `relu: {}`. */
export type ReluParams = NoParams;

/** `relu6` takes no parameters: write `relu6: {}`. */
export type Relu6Params = NoParams;

/** Parameters of `leaky_relu` (torch.nn.LeakyReLU). */
export interface LeakyReluParams {
  /** Slope for negative inputs. Default: 0.01. */
  negative_slope?: number;
}

/** `sigmoid` takes no parameters: write `sigmoid: {}`. */
export type SigmoidParams = NoParams;

/** `tanh` takes no parameters: write `tanh: {}`. */
export type TanhParams = NoParams;

/** `gelu` takes no parameters: write `gelu: {}`. */
export type GeluParams = NoParams;

/** `silu` takes no parameters: write `silu: {}`. */
export type SiluParams = NoParams;

/** `hardswish` takes no parameters: write `hardswish: {}`. */
export type HardswishParams = NoParams;

/** `hardsigmoid` takes no parameters: write `hardsigmoid: {}`. */
export type HardsigmoidParams = NoParams;

/** Parameters of `dropout` (torch.nn.Dropout). */
export interface DropoutParams {
  /** Drop probability, in [0, 1]. Default: 0.5. */
  p?: number;
}

/** Parameters of `flatten` (torch.nn.Flatten). */
export interface FlattenParams {
  /** First dimension to merge (negative counts from the end). Default: 1. */
  start_dim?: number;
  /** Last dimension to merge (negative counts from the end). Default: -1. */
  end_dim?: number;
}

/** Parameters of `linear` (torch.nn.Linear). */
export interface LinearParams {
  /** Output size. Required. */
  out_features: number;
  /** Adds a learnable bias. Default: true. */
  bias?: boolean;
  /** Optional: checked against the last input dimension. */
  in_features?: number;
}

/** `add` takes no parameters: write `add: {}`. */
export type AddParams = NoParams;

/** `mul` takes no parameters: write `mul: {}`. */
export type MulParams = NoParams;

/** Parameters of `concat` (torch.cat). */
export interface ConcatParams {
  /** Dimension to concatenate along (negative counts from the end). Default: 1. */
  dim?: number;
}

/** Parameters of `chunk` (torch.chunk). */
export interface ChunkParams {
  /** Number of parts (fewer when the dimension runs out, as torch.chunk). Required. */
  chunks: number;
  /** Dimension to split (negative counts from the end). Default: 1. */
  dim?: number;
}

/** Parameters of `split` (torch.split). */
export interface SplitParams {
  /** Size of each part along dim (the last may be smaller). Required. */
  split_size: number;
  /** Dimension to split (negative counts from the end). Default: 1. */
  dim?: number;
}

/** Parameters of `channel_shuffle` (torch.nn.ChannelShuffle). */
export interface ChannelShuffleParams {
  /** Number of groups; must divide the channels. Required. */
  groups: number;
}

/** Parameters of `pixel_shuffle` (torch.nn.PixelShuffle). */
export interface PixelShuffleParams {
  /** r: H and W grow r times, the channels shrink r² times. Required. */
  upscale_factor: number;
}

/** Parameters of `stochastic_depth` (torchvision.ops.StochasticDepth). */
export interface StochasticDepthParams {
  /** Drop probability, in [0, 1] (shown in the hover; no effect at inference). Default: 0.5. */
  p?: number;
  /** "row": one draw per sample; "batch": one for the whole batch (training only). Default: 'row'. */
  mode?: 'row' | 'batch';
}

/** Parameters of `layer_norm2d` (LayerNorm2d (torchvision ConvNeXt, timm)). */
export interface LayerNorm2dParams {
  /** Added to the variance (1e-6 as ConvNeXt and timm use it; nn.LayerNorm defaults to 1e-5). Default: 0.000001. */
  eps?: number;
  /** Learnable per-channel weight and bias. Default: true. */
  elementwise_affine?: boolean;
}

/** Parameters of `upsample` (torch.nn.Upsample). */
export interface UpsampleParams {
  /** Multiplier s or [sh, sw] (give this or size). */
  scale_factor?: Scale;
  /** Target size k or [h, w] (give this or scale_factor). */
  size?: Pair;
  /** Interpolation. Default: 'nearest'. */
  mode?: 'nearest' | 'bilinear' | 'bicubic' | 'nearest-exact';
  /** Bilinear/bicubic only: align the corner pixels. */
  align_corners?: boolean;
}

/** Parameters of `depthwise_conv2d` (torch.nn.Conv2d(C, C·depth_multiplier, groups=C)). */
export interface DepthwiseConv2dParams {
  /** Filter size k or [kh, kw]. Required. */
  kernel_size: Pair;
  /** Step between windows. Default: 1. */
  stride?: Pair;
  /** Zero padding per side, or 'same' / 'valid'. Default: 0. */
  padding?: Padding;
  /** Spacing between kernel taps. Default: 1. */
  dilation?: Pair;
  /** Output channels per input channel. Default: 1. */
  depth_multiplier?: number;
  /** Adds a learnable bias per output channel. Default: true. */
  bias?: boolean;
  /** Optional: checked against the input channels. */
  in_channels?: number;
}

/** Parameters of `separable_conv2d` (depthwise torch.nn.Conv2d(groups=C, bias=False) + 1×1 torch.nn.Conv2d). */
export interface SeparableConv2dParams {
  /** Output channels of the pointwise convolution (TensorFlow filters). Required. */
  out_channels: number;
  /** Depthwise filter size k or [kh, kw]. Required. */
  kernel_size: Pair;
  /** Step between depthwise windows. Default: 1. */
  stride?: Pair;
  /** Zero padding per side, or 'same' / 'valid'. Default: 0. */
  padding?: Padding;
  /** Spacing between depthwise kernel taps. Default: 1. */
  dilation?: Pair;
  /** Depthwise output channels per input channel. Default: 1. */
  depth_multiplier?: number;
  /** Adds a learnable bias to the pointwise output. Default: true. */
  bias?: boolean;
  /** Optional: checked against the input channels. */
  in_channels?: number;
}

/** `global_avgpool2d` takes no parameters: write `global_avgpool2d: {}`. */
export type GlobalAvgpool2dParams = NoParams;

/** `global_maxpool2d` takes no parameters: write `global_maxpool2d: {}`. */
export type GlobalMaxpool2dParams = NoParams;

/** Parameters of `zero_padding2d` (torch.nn.ZeroPad2d). */
export interface ZeroPadding2dParams {
  /** Zeros on each side: p or [ph, pw] (TensorFlow default 1). Default: 1. */
  padding?: Pair;
  /** Rows added above (overrides padding). */
  top?: number;
  /** Rows added below (overrides padding). */
  bottom?: number;
  /** Columns added on the left (overrides padding). */
  left?: number;
  /** Columns added on the right (overrides padding). */
  right?: number;
}

/** Parameters of `elu` (torch.nn.ELU). */
export interface EluParams {
  /** Scale of the negative part. Default: 1. */
  alpha?: number;
}

/** `selu` takes no parameters: write `selu: {}`. */
export type SeluParams = NoParams;

/** `softmax` takes no parameters: write `softmax: {}`. */
export type SoftmaxParams = NoParams;

/** `log_softmax` takes no parameters: write `log_softmax: {}`. */
export type LogSoftmaxParams = NoParams;

/** `softplus` takes no parameters: write `softplus: {}`. */
export type SoftplusParams = NoParams;

/** `softsign` takes no parameters: write `softsign: {}`. */
export type SoftsignParams = NoParams;

/** `mish` takes no parameters: write `mish: {}`. */
export type MishParams = NoParams;

/** `gelu_tanh` takes no parameters: write `gelu_tanh: {}`. */
export type GeluTanhParams = NoParams;

/** `identity` takes no parameters: write `identity: {}`. */
export type IdentityParams = NoParams;

/** Every layer kind and its parameters. */
export interface LayerKinds {
  /** 2-D convolution (im2col + GEMM in the engine). (torch.nn.Conv2d) */
  conv2d: Conv2dParams;
  /** Transposed 2-D convolution (GEMM + col2im in the engine). (torch.nn.ConvTranspose2d) */
  conv_transpose2d: ConvTranspose2dParams;
  /** Max pooling: no parameters, keeps the channel count. (torch.nn.MaxPool2d) */
  maxpool2d: Maxpool2dParams;
  /** Average pooling: no parameters, keeps the channel count. (torch.nn.AvgPool2d) */
  avgpool2d: Avgpool2dParams;
  /** Adaptive average pooling to a fixed output size. (torch.nn.AdaptiveAvgPool2d) */
  adaptive_avgpool2d: AdaptiveAvgpool2dParams;
  /** Adaptive max pooling to a fixed output size. (torch.nn.AdaptiveMaxPool2d) */
  adaptive_maxpool2d: AdaptiveMaxpool2dParams;
  /** Batch normalization over channels (inference: running statistics). (torch.nn.BatchNorm2d) */
  batchnorm2d: Batchnorm2dParams;
  /** max(0, x). (torch.nn.ReLU) */
  relu: ReluParams;
  /** min(max(0, x), 6). (torch.nn.ReLU6) */
  relu6: Relu6Params;
  /** x for x ≥ 0, negative_slope·x otherwise. (torch.nn.LeakyReLU) */
  leaky_relu: LeakyReluParams;
  /** 1 / (1 + e^−x). (torch.nn.Sigmoid) */
  sigmoid: SigmoidParams;
  /** Hyperbolic tangent. (torch.nn.Tanh) */
  tanh: TanhParams;
  /** x·Φ(x) (exact erf form). (torch.nn.GELU) */
  gelu: GeluParams;
  /** x·sigmoid(x) (swish). (torch.nn.SiLU) */
  silu: SiluParams;
  /** x·relu6(x + 3) / 6. (torch.nn.Hardswish) */
  hardswish: HardswishParams;
  /** relu6(x + 3) / 6. (torch.nn.Hardsigmoid) */
  hardsigmoid: HardsigmoidParams;
  /** Zeroes elements with probability p in training; identity at inference. (torch.nn.Dropout) */
  dropout: DropoutParams;
  /** Merges dimensions start_dim..end_dim into one. (torch.nn.Flatten) */
  flatten: FlattenParams;
  /** Fully connected layer on the last dimension. (torch.nn.Linear) */
  linear: LinearParams;
  /** Elementwise sum of the `from` inputs (residual), with PyTorch broadcasting. (torch.add) */
  add: AddParams;
  /** Elementwise product of the `from` inputs (e.g. a squeeze-excitation gate), with PyTorch broadcasting. (torch.mul) */
  mul: MulParams;
  /** Concatenates the `from` inputs along dim (channels by default); one input is copied, as torch.cat([x], 1). (torch.cat) */
  concat: ConcatParams;
  /** Splits the input into `chunks` parts along dim (each ceil(n / chunks), the last smaller); `from: name.k` takes part k. (torch.chunk) */
  chunk: ChunkParams;
  /** Splits the input into parts of split_size along dim (the last smaller); `from: name.k` takes part k. (torch.split) */
  split: SplitParams;
  /** Shuffles the channels in `groups` groups (ShuffleNet): output channel i·g + j is input channel j·(C/g) + i. (torch.nn.ChannelShuffle) */
  channel_shuffle: ChannelShuffleParams;
  /** Rearranges [N, C·r², H, W] into [N, C, H·r, W·r] (sub-pixel convolution): depth to space. (torch.nn.PixelShuffle) */
  pixel_shuffle: PixelShuffleParams;
  /** Drops the residual branch with probability p (per sample in "row" mode) in training; identity at inference. (torchvision.ops.StochasticDepth) */
  stochastic_depth: StochasticDepthParams;
  /** Layer normalization over the channels at each position of [N, C, H, W] (ConvNeXt), with a per-channel weight and bias. (LayerNorm2d (torchvision ConvNeXt, timm)) */
  layer_norm2d: LayerNorm2dParams;
  /** Resizes H and W by scale_factor or to size. (torch.nn.Upsample) */
  upsample: UpsampleParams;
  /** Depthwise convolution: groups = in_channels, out_channels = in_channels · depth_multiplier. (torch.nn.Conv2d(C, C·depth_multiplier, groups=C)) */
  depthwise_conv2d: DepthwiseConv2dParams;
  /** Depthwise K×K convolution (no bias) followed by a 1×1 pointwise convolution to out_channels. (depthwise torch.nn.Conv2d(groups=C, bias=False) + 1×1 torch.nn.Conv2d) */
  separable_conv2d: SeparableConv2dParams;
  /** Global average pooling: [N, C, H, W] → [N, C] (TensorFlow globalAveragePooling2d). (torch.mean(x, dim=(2, 3))) */
  global_avgpool2d: GlobalAvgpool2dParams;
  /** Global max pooling: [N, C, H, W] → [N, C] (TensorFlow globalMaxPooling2d). (torch.amax(x, dim=(2, 3))) */
  global_maxpool2d: GlobalMaxpool2dParams;
  /** Adds rows and columns of zeros around H and W. (torch.nn.ZeroPad2d) */
  zero_padding2d: ZeroPadding2dParams;
  /** x for x > 0, alpha·(e^x − 1) otherwise. (torch.nn.ELU) */
  elu: EluParams;
  /** Scaled ELU with the self-normalizing constants. (torch.nn.SELU) */
  selu: SeluParams;
  /** Exponentials normalized to sum 1 over the channel (last TensorFlow) axis. (torch.nn.Softmax) */
  softmax: SoftmaxParams;
  /** Logarithm of softmax. (torch.nn.LogSoftmax) */
  log_softmax: LogSoftmaxParams;
  /** log(1 + e^x). (torch.nn.Softplus) */
  softplus: SoftplusParams;
  /** x / (1 + |x|). (torch.nn.Softsign) */
  softsign: SoftsignParams;
  /** x·tanh(softplus(x)). (torch.nn.Mish) */
  mish: MishParams;
  /** GELU, tanh approximation (TensorFlow gelu_new). (torch.nn.GELU(approximate='tanh')) */
  gelu_tanh: GeluTanhParams;
  /** Passes the input through unchanged (TensorFlow linear activation). (torch.nn.Identity) */
  identity: IdentityParams;
}

export type LayerKind = keyof LayerKinds;

/** What every layer may have besides its kind. */
export interface LayerCommon {
  /** Unique name, for `from` references; default `<kind>_<index>` (index from 1). */
  name?: string;
  /** Input layer names (`'input'` is the model input); default: the previous layer. */
  from?: string | readonly string[];
}

/** One layer: exactly one kind key with its parameters, plus optional name and from. */
export type Layer = {
  [K in LayerKind]: LayerCommon & Pick<LayerKinds, K> & { [Other in Exclude<LayerKind, K>]?: never };
}[LayerKind];

/** Dataset presets for `input: {dataset}`. */
export type DatasetName = 'voc' | 'ilsvrc' | 'coco' | 'openimages';

/** [N, C, H, W] or [C, H, W] (N = 1), or a dataset preset's typical image size. */
export type InputShape =
  | readonly [number, number, number, number]
  | readonly [number, number, number]
  | { dataset: DatasetName; /** [H, W], overriding the preset's size. */ size?: readonly [number, number] };

/** A ConvLens model: the same structure as a `*.cnn.yaml` file. */
export interface ModelSpec {
  name?: string;
  input: InputShape;
  layers: readonly Layer[];
}
