import UNetKit

/// Projects a stack of depth slices to one 2-D image per volume, as OCTA pipelines do before
/// a 2-D network (seed 002's "direct projection").
public enum VolumeProjection {
    public enum Mode: Sendable {
        /// The mean over depth (average-intensity projection).
        case mean
        /// The maximum over depth (maximum-intensity projection).
        case maximum
    }

    /// Volumes [B, D, H, W] → images [B, H, W, 1] (channels last, like the generators).
    /// - Throws: `GeneratorError` when the tensor is not 4-D or has no slices.
    public static func project(_ volumes: Tensor, _ mode: Mode) throws -> Tensor {
        guard volumes.rank == 4, volumes.shape[1] >= 1 else {
            throw GeneratorError("VolumeProjection.project: expected volumes [B, D, H, W] with D ≥ 1, "
                                 + "but got shape \(shapeString(volumes.shape))")
        }
        let (b, d, h, w) = (volumes.shape[0], volumes.shape[1], volumes.shape[2], volumes.shape[3])
        let plane = h * w
        var out = [Float](repeating: 0, count: b * plane)
        let v = volumes.scalars
        for n in 0..<b {
            for p in 0..<plane {
                var acc = v[n * d * plane + p]
                for z in 1..<d {
                    let x = v[(n * d + z) * plane + p]
                    acc = mode == .mean ? acc + x : max(acc, x)
                }
                out[n * plane + p] = mode == .mean ? acc / Float(d) : acc
            }
        }
        return try Tensor(shape: [b, h, w, 1], scalars: out)
    }
}
