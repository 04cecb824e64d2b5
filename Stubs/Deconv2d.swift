import UNetKit
import SegmentationModels
import LabExercises

/// Exercise (question 7): deconvolution (transposed convolution, stride 2) by hand, from the
/// appendix's `fillZeros` and `conv2d`:
///
///   1. `fillZeros(input)`: `[in, h, w]` → `[in, 2h + 1, 2w + 1]`, zeros between pixels;
///   2. `conv2d(filled, weights)`: 3×3 kernels, zero padding 1 → `[out, 2h + 1, 2w + 1]`;
///   3. crop one pixel on each side → `[out, 2h − 1, 2w − 1]`.
///
/// This equals PyTorch's `ConvTranspose2d(in, out, kernel_size=3, stride=2, padding=1)` with the
/// weights rotated 180° and in/out swapped. input `[in, h, w]`, weights `[out, in, 3, 3]`.
public func deconv2d(_ input: Tensor, _ weights: Tensor) throws -> Tensor {
    // write your code here
    throw ExerciseNotImplemented(exercise: "Question 7: deconv2d", file: "Labs/Deconv2d.swift",
                                 function: "deconv2d(_:_:)")
}
