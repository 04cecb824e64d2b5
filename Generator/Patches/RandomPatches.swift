import UNetKit

/// Random square training patches whose centre lies inside the field of view.
///
///     var rng = SeededGenerator(seed: 1)
///     let (x, y, m) = try RandomPatches.draw(count: 32, size: 48, images: images, labels: labels,
///                                            fov: fov, using: &rng)
///     // images [B, H, W, C] → x [32, 48, 48, C]; labels → y [32, 48, 48, K]; fov → m [32, 48, 48, 1]
///
/// Each patch: an image index uniform over the batch, then a top-left corner (y₀, x₀) uniform
/// over the corners whose patch fits in the image and whose centre pixel
/// (y₀ + size/2, x₀ + size/2) (integer division) is inside that image's FOV. Patches are cut
/// from images, labels and FOV at the same place.
public enum RandomPatches {
    /// - Throws: `GeneratorError` when the tensors are not B×H×W×· with the same B, H, W, the
    ///   patch does not fit, `count < 1`, or an image has no FOV pixel where a patch centre can be.
    public static func draw(count: Int, size: Int, images: Tensor, labels: Tensor, fov: Tensor,
                            using rng: inout SeededGenerator) throws -> (images: Tensor, labels: Tensor, fov: Tensor) {
        guard images.rank == 4, labels.rank == 4, fov.rank == 4,
              labels.shape.prefix(3) == images.shape.prefix(3), fov.shape == Array(images.shape.prefix(3)) + [1] else {
            throw GeneratorError("RandomPatches.draw: expected images [B, H, W, C], labels [B, H, W, K] and fov "
                                 + "[B, H, W, 1], but got \(shapeString(images.shape)), \(shapeString(labels.shape)) "
                                 + "and \(shapeString(fov.shape))")
        }
        let (b, h, w) = (images.shape[0], images.shape[1], images.shape[2])
        guard count >= 1 else { throw GeneratorError("RandomPatches.draw: count must be at least 1, but got \(count)") }
        guard size >= 1, size <= h, size <= w else {
            throw GeneratorError("RandomPatches.draw: size must be in 1…\(min(h, w)) for \(h)×\(w) images, but got \(size)")
        }
        // Top-left corners whose centre is in the FOV, per image.
        var corners: [[Int]] = []
        for n in 0..<b {
            var list: [Int] = []
            for y0 in 0...(h - size) {
                for x0 in 0...(w - size) where fov.scalars[(n * h + y0 + size / 2) * w + x0 + size / 2] > 0.5 {
                    list.append(y0 * w + x0)
                }
            }
            guard !list.isEmpty else {
                throw GeneratorError("RandomPatches.draw: image \(n) has no FOV pixel that can be the centre of a "
                                     + "\(size)×\(size) patch")
            }
            corners.append(list)
        }
        var outputs = [[Float]](repeating: [], count: 3)
        let sources = [images, labels, fov]
        for _ in 0..<count {
            let n = rng.integer(0, b)
            let corner = corners[n][rng.integer(0, corners[n].count)]
            let y0 = corner / w, x0 = corner % w
            for (t, source) in sources.enumerated() {
                let c = source.shape[3]
                for y in 0..<size {
                    let start = ((n * h + y0 + y) * w + x0) * c
                    outputs[t].append(contentsOf: source.scalars[start ..< start + size * c])
                }
            }
        }
        return (try Tensor(shape: [count, size, size, images.shape[3]], scalars: outputs[0]),
                try Tensor(shape: [count, size, size, labels.shape[3]], scalars: outputs[1]),
                try Tensor(shape: [count, size, size, 1], scalars: outputs[2]))
    }
}
