import Foundation
import UNetKit

/// Whole-image prediction with a patch model: overlapping windows, averaged.
///
///     let window = try SlidingWindow(patchSize: 48, overlap: 0.5, weighting: .gaussian, batchSize: 16)
///     let probabilities = try window.predict(images) { patches in try model(patches) }
///     // images [B, C, H, W] → probabilities [B, K, H, W]
///
/// The rule is MONAI's `sliding_window_inference`:
/// - an image smaller than the patch on a side is padded with zeros to the patch size (half of
///   the difference before, the rest after); the prediction is cropped back to the image;
/// - windows start every `step = Int(patch · (1 − overlap))` pixels (at least 1; the patch
///   itself when the side equals the patch), up to the first window that reaches the end, and
///   that last window is moved back to end exactly at the border — so every pixel is covered
///   and no window sticks out;
/// - each pixel's prediction is Σ w·prediction / Σ w over the windows covering it, with
///   importance weights w constant 1, or Gaussian: exp(−d²/(2σ²)) per axis, σ = 0.125 · patch,
///   d the distance from the patch centre (patch − 1)/2, clamped below at max(min, 10⁻³).
///
/// Constant weights give every covering window the same say (seams where the number of
/// windows changes are invisible only if the model is translation-consistent); Gaussian weights
/// trust each window's centre more than its border, which hides the border effects of
/// convolutions with zero padding.
public struct SlidingWindow: Sendable {
    /// How the predictions of overlapping windows are weighted.
    public enum Weighting: Sendable { case constant, gaussian }

    /// Side of the square windows, in pixels.
    public let patchSize: Int
    /// The fraction of a window shared with the next one, in [0, 1).
    public let overlap: Double
    public let weighting: Weighting
    /// How many windows go to the model per call (the last call may get fewer).
    public let batchSize: Int

    /// - Throws: `GeneratorError` when the patch size or batch size is below 1, or the
    ///   overlap is outside [0, 1).
    public init(patchSize: Int, overlap: Double = 0.25, weighting: Weighting = .constant, batchSize: Int = 8) throws {
        guard patchSize >= 1 else {
            throw GeneratorError("SlidingWindow: patchSize must be at least 1, but got \(patchSize)")
        }
        guard overlap.isFinite, overlap >= 0, overlap < 1 else {
            throw GeneratorError("SlidingWindow: overlap must be in [0, 1), but got \(overlap)")
        }
        guard batchSize >= 1 else {
            throw GeneratorError("SlidingWindow: batchSize must be at least 1, but got \(batchSize)")
        }
        self.patchSize = patchSize
        self.overlap = overlap
        self.weighting = weighting
        self.batchSize = batchSize
    }

    /// The window starts along one side of `size ≥ patch` pixels (after padding).
    public static func starts(size: Int, patch: Int, overlap: Double) -> [Int] {
        let step = size == patch ? patch : max(1, Int(Double(patch) * (1 - overlap)))
        var result: [Int] = []
        var k = 0
        while true {
            let start = k * step
            result.append(min(start, size - patch))
            if start + patch >= size { break }
            k += 1
        }
        return result
    }

    /// The `patch × patch` importance weights, row-major.
    public func importanceMap() -> [Float] {
        let p = patchSize
        guard weighting == .gaussian else { return [Float](repeating: 1, count: p * p) }
        let sigma = Float(p) * 0.125
        let axis: [Float] = (0..<p).map { i in
            let d = Float(i) - Float(p - 1) / 2
            return Float(exp(Double(d * d / (-2 * sigma * sigma))))
        }
        var map = [Float](repeating: 0, count: p * p)
        for y in 0..<p { for x in 0..<p { map[y * p + x] = axis[y] * axis[x] } }
        let floor = max(map.min() ?? 0, 1e-3)
        return map.map { max($0, floor) }
    }

    /// Predicts every pixel of `images` ([B, C, H, W]) with `model`, which maps windows
    /// [N, C, patch, patch] to predictions [N, K, patch, patch] (N ≤ batchSize).
    /// - Returns: [B, K, H, W], the weighted average of the overlapping windows' predictions.
    /// - Throws: `GeneratorError` when the input is not 4-D or the model returns another shape;
    ///   whatever the model throws.
    public func predict(_ images: Tensor, _ model: (Tensor) throws -> Tensor) throws -> Tensor {
        guard images.rank == 4, images.count > 0 else {
            throw GeneratorError("SlidingWindow.predict: expected images [B, C, H, W], but got shape \(shapeString(images.shape))")
        }
        let (b, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let p = patchSize
        let padH = max(p - h, 0), padW = max(p - w, 0)
        let top = padH / 2, left = padW / 2
        let H = h + padH, W = w + padW
        let rows = Self.starts(size: H, patch: p, overlap: overlap)
        let columns = Self.starts(size: W, patch: p, overlap: overlap)
        let windows = rows.flatMap { y in columns.map { x in (y, x) } }
        let weights = importanceMap()
        var classes = -1
        var output: [Float] = []
        let source = images.scalars
        for n in 0..<b {
            var total: [Float] = []
            var count = [Float](repeating: 0, count: H * W)
            var first = 0
            while first < windows.count {
                let chunk = windows[first..<min(first + batchSize, windows.count)]
                first += chunk.count
                var patches = [Float](repeating: 0, count: chunk.count * c * p * p)
                for (i, (y0, x0)) in chunk.enumerated() {
                    for ch in 0..<c {
                        for y in 0..<p {
                            let sy = y0 + y - top
                            guard sy >= 0, sy < h else { continue }
                            for x in 0..<p {
                                let sx = x0 + x - left
                                guard sx >= 0, sx < w else { continue }
                                patches[((i * c + ch) * p + y) * p + x] = source[((n * c + ch) * h + sy) * w + sx]
                            }
                        }
                    }
                }
                let prediction = try model(try Tensor(shape: [chunk.count, c, p, p], scalars: patches))
                guard prediction.rank == 4, prediction.shape[0] == chunk.count, prediction.shape[2] == p,
                      prediction.shape[3] == p, prediction.shape[1] >= 1, classes < 0 || prediction.shape[1] == classes else {
                    throw GeneratorError("SlidingWindow.predict: the model must map [\(chunk.count), \(c), \(p), \(p)] "
                                         + "to [\(chunk.count), K, \(p), \(p)]"
                                         + (classes > 0 ? " with K = \(classes)" : "")
                                         + ", but returned shape \(shapeString(prediction.shape))")
                }
                if classes < 0 {
                    classes = prediction.shape[1]
                    output.reserveCapacity(b * classes * h * w)
                }
                if total.isEmpty { total = [Float](repeating: 0, count: classes * H * W) }
                let values = prediction.scalars
                for (i, (y0, x0)) in chunk.enumerated() {
                    for y in 0..<p {
                        for x in 0..<p {
                            let weight = weights[y * p + x]
                            let target = (y0 + y) * W + x0 + x
                            count[target] += weight
                            for k in 0..<classes {
                                total[k * H * W + target] += weight * values[((i * classes + k) * p + y) * p + x]
                            }
                        }
                    }
                }
            }
            for k in 0..<classes {
                for y in 0..<h {
                    for x in 0..<w {
                        let target = (y + top) * W + x + left
                        output.append(total[k * H * W + target] / count[target])
                    }
                }
            }
        }
        return try Tensor(shape: [b, classes, h, w], scalars: output)
    }
}
