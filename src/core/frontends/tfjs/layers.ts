// What the TensorFlow.js front end knows about `tf.layers.*` factories (tfjs-layers 4.22): the
// class each creates (for TensorFlow's default layer names), and for the supported ones, the
// registry kind and how each argument maps to the kind's parameters.

/** Every `tf.layers` factory and the class it instantiates (also unsupported ones, for naming). */
export const TF_CLASS_NAMES: Record<string, string> = {
  activation: 'Activation',
  add: 'Add',
  alphaDropout: 'AlphaDropout',
  average: 'Average',
  averagePooling1d: 'AveragePooling1D',
  averagePooling2d: 'AveragePooling2D',
  averagePooling3d: 'AveragePooling3D',
  avgPool1d: 'AveragePooling1D',
  avgPool2d: 'AveragePooling2D',
  avgPool3d: 'AveragePooling3D',
  avgPooling1d: 'AveragePooling1D',
  avgPooling2d: 'AveragePooling2D',
  avgPooling3d: 'AveragePooling3D',
  batchNormalization: 'BatchNormalization',
  bidirectional: 'Bidirectional',
  categoryEncoding: 'CategoryEncoding',
  centerCrop: 'CenterCrop',
  concatenate: 'Concatenate',
  conv1d: 'Conv1D',
  conv2d: 'Conv2D',
  conv2dTranspose: 'Conv2DTranspose',
  conv3d: 'Conv3D',
  conv3dTranspose: 'Conv3DTranspose',
  convLstm2d: 'ConvLSTM2D',
  convLstm2dCell: 'ConvLSTM2DCell',
  cropping2D: 'Cropping2D',
  dense: 'Dense',
  depthwiseConv2d: 'DepthwiseConv2D',
  dot: 'Dot',
  dropout: 'Dropout',
  elu: 'ELU',
  embedding: 'Embedding',
  flatten: 'Flatten',
  gaussianDropout: 'GaussianDropout',
  gaussianNoise: 'GaussianNoise',
  globalAveragePooling1d: 'GlobalAveragePooling1D',
  globalAveragePooling2d: 'GlobalAveragePooling2D',
  globalMaxPool1d: 'GlobalMaxPooling1D',
  globalMaxPool2d: 'GlobalMaxPooling2D',
  globalMaxPooling1d: 'GlobalMaxPooling1D',
  globalMaxPooling2d: 'GlobalMaxPooling2D',
  gru: 'GRU',
  gruCell: 'GRUCell',
  layerNormalization: 'LayerNormalization',
  leakyReLU: 'LeakyReLU',
  lstm: 'LSTM',
  lstmCell: 'LSTMCell',
  masking: 'Masking',
  maxPool1d: 'MaxPooling1D',
  maxPool2d: 'MaxPooling2D',
  maxPooling1d: 'MaxPooling1D',
  maxPooling2d: 'MaxPooling2D',
  maxPooling3d: 'MaxPooling3D',
  maximum: 'Maximum',
  minimum: 'Minimum',
  multiply: 'Multiply',
  permute: 'Permute',
  prelu: 'PReLU',
  randomWidth: 'RandomWidth',
  reLU: 'ReLU',
  repeatVector: 'RepeatVector',
  rescaling: 'Rescaling',
  reshape: 'Reshape',
  resizing: 'Resizing',
  rnn: 'RNN',
  separableConv2d: 'SeparableConv2D',
  simpleRNN: 'SimpleRNN',
  simpleRNNCell: 'SimpleRNNCell',
  softmax: 'Softmax',
  spatialDropout1d: 'SpatialDropout1D',
  stackedRNNCells: 'StackedRNNCells',
  thresholdedReLU: 'ThresholdedReLU',
  timeDistributed: 'TimeDistributed',
  upSampling2d: 'UpSampling2D',
  zeroPadding2d: 'ZeroPadding2D',
};

/** tfjs-layers' generic_utils.toSnakeCase, which default layer names start with. */
export function toSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const insecure = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return insecure[0] !== '_' ? insecure : `private${insecure}`;
}

/** TensorFlow's default name for the `count`-th layer of a class: `conv2d_Conv2D1`. */
export function defaultLayerName(className: string, count: number): string {
  return `${toSnakeCase(className)}_${className}${count}`;
}

/** How a TensorFlow argument's value is checked and where it goes. */
export type ArgType =
  | 'positive-int' // an integer ≥ 1
  | 'int-or-pair' // k or [kh, kw], integers ≥ 1
  | 'bool'
  | 'number'
  | 'rate' // a number in [0, 1)
  | 'conv-padding' // 'valid' | 'same' ('causal' is 1-D only)
  | 'int'
  | 'zero-padding' // p, [ph, pw] or [[top, bottom], [left, right]]
  | 'up-size' // [kh, kw]: the scale factor (tfjs-layers needs the array form)
  | 'interpolation' // 'nearest' | 'bilinear'
  | 'channel-axis'; // -1 (or 3, the channel axis of NHWC): the only axis ConvLens models

export interface ArgRule {
  /** The registry parameter it becomes (absent for 'zero-padding', which writes several). */
  to?: string;
  type: ArgType;
  required?: boolean;
}

export interface TfLayerDef {
  /** Registry kind; 'activation' and 'reLU' pick theirs from the arguments. */
  kind: string;
  args: Record<string, ArgRule>;
  /** Registry parameters TensorFlow defaults differently from the registry, as plain values. */
  defaults?: Record<string, unknown>;
  /** Accepts `activation` (a fused activation after the layer). */
  activation?: boolean;
  /** Arguments tfjs-layers 4.22 accepts but ignores (a warning says so). */
  ignoredByTfjs?: string[];
  /** tfjs-layers 4.22 throws when the factory is called without a config object (even `{}` will do). */
  configRequired?: boolean;
}

const KERNEL = { to: 'kernel_size', type: 'int-or-pair', required: true } as const;
const STRIDES = { to: 'stride', type: 'int-or-pair' } as const;
const CONV_PADDING = { to: 'padding', type: 'conv-padding' } as const;
const USE_BIAS = { to: 'bias', type: 'bool' } as const;
const FILTERS = { to: 'out_channels', type: 'positive-int', required: true } as const;
const DEPTH_MULTIPLIER = { to: 'depth_multiplier', type: 'positive-int' } as const;
const POOL = {
  args: { poolSize: { to: 'kernel_size', type: 'int-or-pair' }, strides: STRIDES, padding: CONV_PADDING },
  configRequired: true,
} as const;

export const TF_LAYERS: Record<string, TfLayerDef> = {
  conv2d: {
    kind: 'conv2d',
    args: {
      filters: FILTERS,
      kernelSize: KERNEL,
      strides: STRIDES,
      padding: CONV_PADDING,
      dilationRate: { to: 'dilation', type: 'int-or-pair' },
      useBias: USE_BIAS,
    },
    defaults: { padding: 'valid' },
    activation: true,
  },
  depthwiseConv2d: {
    kind: 'depthwise_conv2d',
    args: { kernelSize: KERNEL, strides: STRIDES, padding: CONV_PADDING, depthMultiplier: DEPTH_MULTIPLIER, useBias: USE_BIAS },
    defaults: { padding: 'valid' },
    activation: true,
    ignoredByTfjs: ['dilationRate'],
  },
  separableConv2d: {
    kind: 'separable_conv2d',
    args: {
      filters: FILTERS,
      kernelSize: KERNEL,
      strides: STRIDES,
      padding: CONV_PADDING,
      dilationRate: { to: 'dilation', type: 'int-or-pair' },
      depthMultiplier: DEPTH_MULTIPLIER,
      useBias: USE_BIAS,
    },
    defaults: { padding: 'valid' },
    activation: true,
  },
  conv2dTranspose: {
    kind: 'tf_conv_transpose2d',
    args: { filters: FILTERS, kernelSize: KERNEL, strides: STRIDES, padding: CONV_PADDING, useBias: USE_BIAS },
    activation: true,
    ignoredByTfjs: ['dilationRate'],
  },
  maxPooling2d: { kind: 'tf_maxpool2d', ...POOL },
  maxPool2d: { kind: 'tf_maxpool2d', ...POOL },
  averagePooling2d: { kind: 'tf_avgpool2d', ...POOL },
  avgPool2d: { kind: 'tf_avgpool2d', ...POOL },
  avgPooling2d: { kind: 'tf_avgpool2d', ...POOL },
  globalAveragePooling2d: { kind: 'global_avgpool2d', args: {}, configRequired: true },
  globalMaxPooling2d: { kind: 'global_maxpool2d', args: {}, configRequired: true },
  globalMaxPool2d: { kind: 'global_maxpool2d', args: {}, configRequired: true },
  batchNormalization: {
    kind: 'tf_batchnorm',
    args: {
      axis: { type: 'channel-axis' },
      epsilon: { to: 'eps', type: 'number' },
      momentum: { to: 'momentum', type: 'number' },
      center: { to: 'center', type: 'bool' },
      scale: { to: 'scale', type: 'bool' },
    },
  },
  activation: { kind: 'activation', args: {}, configRequired: true },
  reLU: { kind: 'reLU', args: {} },
  leakyReLU: { kind: 'leaky_relu', args: { alpha: { to: 'negative_slope', type: 'number' } }, defaults: { negative_slope: 0.3 } },
  elu: { kind: 'elu', args: { alpha: { to: 'alpha', type: 'number' } } },
  softmax: { kind: 'softmax', args: {} },
  dense: {
    kind: 'linear',
    args: { units: { to: 'out_features', type: 'positive-int', required: true }, useBias: USE_BIAS },
    activation: true,
  },
  flatten: { kind: 'flatten', args: {} },
  dropout: { kind: 'dropout', args: { rate: { to: 'p', type: 'rate', required: true } } },
  add: { kind: 'add', args: {} },
  concatenate: { kind: 'concat', args: { axis: { to: 'dim', type: 'int' } }, defaults: { dim: -1 } },
  zeroPadding2d: { kind: 'zero_padding2d', args: { padding: { type: 'zero-padding' } } },
  upSampling2d: {
    kind: 'upsample',
    args: { size: { to: 'scale_factor', type: 'up-size' }, interpolation: { to: 'mode', type: 'interpolation' } },
    defaults: { scale_factor: [2, 2] },
    configRequired: true,
  },
};

/** Arguments every layer accepts that change no shape or parameter count. */
export const SHAPE_NEUTRAL_ARGS = new Set([
  'name',
  'trainable',
  'weights',
  'dtype',
  'inputDType',
  'batchSize',
  'inputShape',
  'batchInputShape',
  'inputDim',
  'dataFormat',
  'kernelInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'biasRegularizer',
  'activityRegularizer',
  'kernelConstraint',
  'biasConstraint',
  'depthwiseInitializer',
  'depthwiseRegularizer',
  'depthwiseConstraint',
  'pointwiseInitializer',
  'pointwiseRegularizer',
  'pointwiseConstraint',
  'gammaInitializer',
  'betaInitializer',
  'movingMeanInitializer',
  'movingVarianceInitializer',
  'gammaRegularizer',
  'betaRegularizer',
  'gammaConstraint',
  'betaConstraint',
  'seed',
  'noiseShape',
  'axis',
  'maxValue',
  'activation',
]);

/** TensorFlow activation names → registry kinds ('linear' adds no layer). */
export const TF_ACTIVATIONS: Record<string, string | null> = {
  linear: null,
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  elu: 'elu',
  selu: 'selu',
  softmax: 'softmax',
  logSoftmax: 'log_softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'silu',
  mish: 'mish',
  gelu: 'gelu',
  gelu_new: 'gelu_tanh',
  hardSigmoid: 'tf_hard_sigmoid',
  hard_sigmoid: 'tf_hard_sigmoid',
};
