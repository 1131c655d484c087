// TensorFlow.js layers code: ConvLens reads it statically (it is never run) with TensorFlow's
// semantics (NHWC, 'same' = ceil(H / S)). Expected figures are worked out in hover.test.ts.
const tf = require('@tensorflow/tfjs');

const model = tf.sequential();
model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 5, filters: 8, strides: 1, activation: 'relu' }));
model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));
model.add(tf.layers.conv2d({ kernelSize: 3, filters: 16, padding: 'same' }));
model.add(tf.layers.flatten());
model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));

module.exports = { model };
