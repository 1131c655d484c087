// ResNet-18's stem and first two stages as a ConvLens model object (the same structure as a
// *.cnn.yaml file), with TypeScript checking and completing every kind and parameter through the
// ModelSpec type. ConvLens reads it statically: constants, `as const` arrays, spreads and simple
// arithmetic (`2 * width`) are resolved; nothing in this file is ever run.
//
//   node dist/cli.js check examples/resnet-block.cnn.ts
//
// The counts equal torchvision's resnet18 modules: stem conv 9,408, layer1 147,968 and layer2
// 525,568 parameters; the output is [1, 128, 28, 28].
//
// The import is a relative path to the type file shipped in the repository, so the example type-
// checks without publishing anything (see types/README.md for `convlens/model`).

import type { ModelSpec } from '../types/convlens-model';

const width = 64;
const inputSize = 224;

/** conv → batchnorm → relu, the unit every block repeats. */
const stem = [
  { name: 'conv1', conv2d: { out_channels: width, kernel_size: 7, stride: 2, padding: 3, bias: false } },
  { name: 'bn1', batchnorm2d: {} },
  { name: 'relu', relu: {} },
  { name: 'maxpool', maxpool2d: { kernel_size: 3, stride: 2, padding: 1 } },
] as const;

const model = {
  name: 'resnet18-stages-1-2',
  input: [1, 3, inputSize, inputSize],
  layers: [
    ...stem,

    // layer1.0: identity shortcut.
    { name: 'layer1.0.conv1', conv2d: { out_channels: width, kernel_size: 3, padding: 1, bias: false } },
    { name: 'layer1.0.bn1', batchnorm2d: {} },
    { name: 'layer1.0.relu1', relu: {} },
    { name: 'layer1.0.conv2', conv2d: { out_channels: width, kernel_size: 3, padding: 1, bias: false } },
    { name: 'layer1.0.bn2', batchnorm2d: {} },
    { name: 'layer1.0.add', add: {}, from: ['layer1.0.bn2', 'maxpool'] },
    { name: 'layer1.0.relu2', relu: {} },

    // layer1.1: identity shortcut.
    { name: 'layer1.1.conv1', conv2d: { out_channels: width, kernel_size: 3, padding: 1, bias: false } },
    { name: 'layer1.1.bn1', batchnorm2d: {} },
    { name: 'layer1.1.relu1', relu: {} },
    { name: 'layer1.1.conv2', conv2d: { out_channels: width, kernel_size: 3, padding: 1, bias: false } },
    { name: 'layer1.1.bn2', batchnorm2d: {} },
    { name: 'layer1.1.add', add: {}, from: ['layer1.1.bn2', 'layer1.0.relu2'] },
    { name: 'layer1.1.relu2', relu: {} },

    // layer2.0: stride 2, and a 1×1 projection (downsample) on the shortcut.
    { name: 'layer2.0.conv1', conv2d: { out_channels: 2 * width, kernel_size: 3, stride: 2, padding: 1, bias: false } },
    { name: 'layer2.0.bn1', batchnorm2d: {} },
    { name: 'layer2.0.relu1', relu: {} },
    { name: 'layer2.0.conv2', conv2d: { out_channels: 2 * width, kernel_size: 3, padding: 1, bias: false } },
    { name: 'layer2.0.bn2', batchnorm2d: {} },
    { name: 'layer2.0.downsample.0', conv2d: { out_channels: 2 * width, kernel_size: 1, stride: 2, bias: false }, from: 'layer1.1.relu2' },
    { name: 'layer2.0.downsample.1', batchnorm2d: {} },
    { name: 'layer2.0.add', add: {}, from: ['layer2.0.bn2', 'layer2.0.downsample.1'] },
    { name: 'layer2.0.relu2', relu: {} },

    // layer2.1: identity shortcut.
    { name: 'layer2.1.conv1', conv2d: { out_channels: 2 * width, kernel_size: 3, padding: 1, bias: false } },
    { name: 'layer2.1.bn1', batchnorm2d: {} },
    { name: 'layer2.1.relu1', relu: {} },
    { name: 'layer2.1.conv2', conv2d: { out_channels: 2 * width, kernel_size: 3, padding: 1, bias: false } },
    { name: 'layer2.1.bn2', batchnorm2d: {} },
    { name: 'layer2.1.add', add: {}, from: ['layer2.1.bn2', 'layer2.0.relu2'] },
    { name: 'layer2.1.relu2', relu: {} },
  ],
} satisfies ModelSpec;

export default model;
