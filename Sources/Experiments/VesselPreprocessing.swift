import UNetKit
import SyntheticData

/// `--preprocess`: what is done to every vessel image before the network sees it (training,
/// validation and prediction alike; stored in the weights' metadata as `preprocess`).
///
/// Every choice but `none` first turns RGB into grey (BT.601 luma); `equalize` and `clahe`
/// then work on the 8-bit image (`HistogramEqualization`, `CLAHE` with clip limit 2 on 8×8
/// tiles, as the vessel papers use) and scale back to [0, 1].
public enum VesselPreprocessing: String, Sendable, CaseIterable {
    case none, grey, equalize, clahe

    /// Channels the network gets for images of `channels` channels.
    public func outputChannels(from channels: Int) -> Int { self == .none ? channels : 1 }

    /// Images `[B, H, W, C]` (C = 1 or 3, values in [0, 1]) → `[B, H, W, outputChannels]`.
    public func apply(_ images: Tensor) throws -> Tensor {
        guard images.rank == 4, images.shape[3] == 1 || images.shape[3] == 3 else {
            throw ConfigurationError("--preprocess \(rawValue): expected images [B, H, W, 1 or 3], but got \(shapeString(images.shape))")
        }
        if self == .none { return images }
        let grey = images.shape[3] == 3 ? try GreyConversion.grey(images) : images
        if self == .grey { return grey }
        let (b, h, w) = (grey.shape[0], grey.shape[1], grey.shape[2])
        var out: [Float] = []
        out.reserveCapacity(grey.count)
        for i in 0..<b {
            let plane = Array(grey.scalars[(i * h * w)..<((i + 1) * h * w)])
            let bytes = try ByteImage(unitValues: plane, width: w, height: h)
            let result = self == .equalize ? HistogramEqualization.equalize(bytes)
                                           : try CLAHE.apply(bytes, clipLimit: 2, tilesX: 8, tilesY: 8)
            out += result.unitValues()
        }
        return try Tensor(shape: [b, h, w, 1], scalars: out)
    }
}
