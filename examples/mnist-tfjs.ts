// The TensorFlow.js MNIST tutorial's CNN ("Handwritten digit recognition with CNNs"), unchanged:
// ConvLens reads the tf.sequential / model.add calls statically (it never runs this file) and
// shows TensorFlow's shapes (NHWC), parameter counts and default layer names.
//
//   node dist/cli.js check examples/mnist-tfjs.ts
//
// conv2d_Conv2D1 [1, 24, 24, 8] 208 · max_pooling2d_MaxPooling2D1 [1, 12, 12, 8] ·
// conv2d_Conv2D2 [1, 8, 8, 16] 3,216 · max_pooling2d_MaxPooling2D2 [1, 4, 4, 16] ·
// flatten_Flatten1 [1, 256] · dense_Dense1 [1, 10] 2,570: 5,994 parameters in all.

import * as tf from '@tensorflow/tfjs';

const IMAGE_WIDTH = 28;
const IMAGE_HEIGHT = 28;
const IMAGE_CHANNELS = 1;
const NUM_OUTPUT_CLASSES = 10;

export function getModel(): tf.Sequential {
  const model = tf.sequential();

  // In the first layer of our convolutional neural network we have to specify the input shape.
  model.add(
    tf.layers.conv2d({
      inputShape: [IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_CHANNELS],
      kernelSize: 5,
      filters: 8,
      strides: 1,
      activation: 'relu',
      kernelInitializer: 'varianceScaling',
    }),
  );

  // The MaxPooling layer acts as a sort of downsampling using max values in a region.
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));

  // Repeat another conv2d + maxPooling stack; more filters in the convolution.
  model.add(
    tf.layers.conv2d({
      kernelSize: 5,
      filters: 16,
      strides: 1,
      activation: 'relu',
      kernelInitializer: 'varianceScaling',
    }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));

  // Flatten the output from the 2D filters into a 1D vector for the final layer.
  model.add(tf.layers.flatten());

  // The last layer is a dense layer with 10 output units, one for each digit class.
  model.add(
    tf.layers.dense({
      units: NUM_OUTPUT_CLASSES,
      kernelInitializer: 'varianceScaling',
      activation: 'softmax',
    }),
  );

  const optimizer = tf.train.adam();
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
