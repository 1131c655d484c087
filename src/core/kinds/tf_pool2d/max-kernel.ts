// TensorFlow's maxPooling2d: 'valid' or 'same' (asymmetric, extra padding at the end). Padding
// never wins a max in either framework, so PyTorch's loop over the analysis' window geometry is
// TensorFlow's too.
import { maxpool2dKernel } from '../maxpool2d/kernel';
import type { LayerKernel } from '../kernel-types';

export const tfMaxpool2dKernel: LayerKernel = maxpool2dKernel;
