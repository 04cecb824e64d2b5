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
    // BEGIN SOLUTION
    let (b, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
    let (bigH, bigW) = (max(h, p), max(w, p))
    let (top, left) = ((bigH - h) / 2, (bigW - w) / 2)
    let padded = Tensor(shape: [b, c, bigH, bigW]) { i in
        let (y, x) = (i[2] - top, i[3] - left)
        return y >= 0 && y < h && x >= 0 && x < w ? images[i[0], i[1], y, x] : 0
    }
    /// Window starts along an axis of `size` ≥ p pixels.
    func starts(_ size: Int) -> [Int] {
        let step = size == p ? p : max(1, Int(Double(p) * (1 - overlap)))
        var result: [Int] = []
        var start = 0
        while start + p < size { result.append(start); start += step }
        result.append(size - p)
        return result
    }
    let windows = starts(bigH).flatMap { y in starts(bigW).map { x in (y, x) } }
    var sum: [Double] = [], classes = 0
    var count = [Double](repeating: 0, count: bigH * bigW)
    for image in 0..<b {
        for (y0, x0) in windows {
            let patch = Tensor(shape: [1, c, p, p]) { i in padded[image, i[1], y0 + i[2], x0 + i[3]] }
            let prediction = try model(patch)
            if classes == 0 {
                guard prediction.shape.count == 4, prediction.shape[1] >= 1 else {
                    throw ShapeError("sliding_window: the model returned shape \(shapeString(prediction.shape)), "
                                     + "expected [1, K, \(p), \(p)]")
                }
                classes = prediction.shape[1]
                sum = [Double](repeating: 0, count: b * classes * bigH * bigW)
            }
            guard prediction.shape == [1, classes, p, p] else {
                throw ShapeError("sliding_window: the model returned shape \(shapeString(prediction.shape)), "
                                 + "expected \(shapeString([1, classes, p, p]))")
            }
            for k in 0..<classes {
                for i in 0..<p {
                    for j in 0..<p {
                        sum[((image * classes + k) * bigH + y0 + i) * bigW + x0 + j] += Double(prediction[0, k, i, j])
                    }
                }
            }
            if image == 0 {
                for i in 0..<p { for j in 0..<p { count[(y0 + i) * bigW + x0 + j] += 1 } }
            }
        }
    }
    let k = classes
    return Tensor(shape: [b, k, h, w]) { i in
        let (y, x) = (i[2] + top, i[3] + left)
        return Float(sum[((i[0] * k + i[1]) * bigH + y) * bigW + x] / count[y * bigW + x])
    }
    // END SOLUTION
    // STUB: throw ExerciseNotImplemented(exercise: "Advanced: slidingWindowPredict", file: "Labs/SlidingWindowPredict.swift",
    // STUB:                              function: "slidingWindowPredict(_:patchSize:overlap:model:)")
}
