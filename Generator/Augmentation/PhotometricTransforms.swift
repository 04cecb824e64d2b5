import UNetKit

/// Changes of the image alone: mask and FOV are returned untouched.
public enum PhotometricTransforms {
    /// Adds N(0, σ²) to every image value (not clipped).
    public static func addGaussianNoise(_ s: SegmentationSample, sigma: Double,
                                        using rng: inout SeededGenerator) -> SegmentationSample {
        var out = s
        guard sigma > 0 else { return out }
        for i in out.image.indices { out.image[i] += Float(sigma * rng.normal()) }
        return out
    }

    /// v ← clip((v − m) · contrast + m + brightness, 0, 1) per value, with m the image's mean
    /// (over all pixels and channels), then each channel k multiplied by `channelGains[k]` and
    /// clipped again (colour jitter; pass `[]` to leave colours alone; a list shorter than the
    /// channels repeats, so `[g]` scales every channel by g).
    public static func jitter(_ s: SegmentationSample, brightness: Float, contrast: Float,
                              channelGains: [Float] = []) -> SegmentationSample {
        var out = s
        let mean = s.image.isEmpty ? 0 : s.image.reduce(0, +) / Float(s.image.count)
        let c = s.channels
        for i in out.image.indices {
            var v = min(1, max(0, (out.image[i] - mean) * contrast + mean + brightness))
            if !channelGains.isEmpty { v = min(1, max(0, v * channelGains[(i % c) % channelGains.count])) }
            out.image[i] = v
        }
        return out
    }
}
