import UNetKit
import SegmentationModels
import LabExercises

/// Exercise (advanced lab): patch-wise prediction of whole images (seed 002 predicts DRIVE's
/// 565 × 584 images with a model trained on 64 × 64 patches), by MONAI's rule:
///
/// - an image smaller than a patch along an axis is padded with zeros to the patch size (the
///   prediction is cropped back at the end);
/// - along each axis, windows start every step = Int(patch · (1 − overlap)) pixels (at least 1),
///   0, step, 2·step, … up to the first window that reaches the border; that last one is moved
///   back to end exactly at the border (start = size − patch), so every pixel is covered;
/// - the model sees batches of windows `[n, C, patch, patch]` and returns `[n, K, patch, patch]`;
/// - where windows overlap, their predictions are averaged (constant weights):
///   out = Σ prediction / (number of windows covering the pixel) — no seams.
///
/// images `[B, C, H, W]` (any H, W ≥ 1), patchSize ≥ 1, overlap in [0, 1) → `[B, K, H, W]`.
/// An identity model gives the image back.
public func slidingWindowPredict(_ images: Tensor, patchSize p: Int, overlap: Double,
                                 model: (Tensor) throws -> Tensor) throws -> Tensor {
    guard images.shape.count == 4, images.count > 0 else {
        throw ShapeError("sliding_window: expected images [B, C, H, W], but got shape \(shapeString(images.shape))")
    }
    guard p >= 1, overlap >= 0, overlap < 1 else {
        throw ShapeError("sliding_window: expected a patch size ≥ 1 and an overlap in [0, 1), but got \(p) and \(overlap)")
    }
    // write your code here
    throw ExerciseNotImplemented(exercise: "Advanced: slidingWindowPredict", file: "Labs/SlidingWindowPredict.swift",
                                 function: "slidingWindowPredict(_:patchSize:overlap:model:)")
}
