import UNetKit

/// Plain arrays out of a B×H×W×C batch, for figures (the `Figures` target takes `[Float]`).
public enum BatchSlices {
    /// Channel `channel` of image `index` of a B×H×W×C tensor: `H × W` values, row-major
    /// (the course's `x[index, ..., channel]`).
    /// - Throws: `GeneratorError` when the tensor is not 4-D or an index is out of range.
    public static func channel(_ channel: Int, of batch: Tensor, sample index: Int) throws -> [Float] {
        let (b, h, w, c) = try dims(batch)
        try check(index, b, "sample index", batch)
        try check(channel, c, "channel", batch)
        var out = [Float](repeating: 0, count: h * w)
        let base = index * h * w * c
        for p in 0..<(h * w) { out[p] = batch.scalars[base + p * c + channel] }
        return out
    }

    /// Image `index` with all its channels interleaved: `H × W × C` values (e.g. RGB triples).
    public static func sample(_ index: Int, of batch: Tensor) throws -> [Float] {
        let (b, h, w, c) = try dims(batch)
        try check(index, b, "sample index", batch)
        let size = h * w * c
        return Array(batch.scalars[(index * size) ..< ((index + 1) * size)])
    }

    /// The class index of every pixel of one-hot labels (argmax over C): `H × W` values
    /// 0, 1, … as Float — the ground-truth map to show when there are more than 2 classes.
    public static func classIndexMap(of labels: Tensor, sample index: Int) throws -> [Float] {
        let (b, h, w, c) = try dims(labels)
        try check(index, b, "sample index", labels)
        var out = [Float](repeating: 0, count: h * w)
        let base = index * h * w * c
        for p in 0..<(h * w) {
            var best = 0
            for k in 1..<max(c, 1) where labels.scalars[base + p * c + k] > labels.scalars[base + p * c + best] {
                best = k
            }
            out[p] = Float(best)
        }
        return out
    }

    static func dims(_ t: Tensor) throws -> (Int, Int, Int, Int) {
        guard t.rank == 4 else {
            throw GeneratorError("expected a 4-D B×H×W×C batch, but got shape \(shapeString(t.shape))")
        }
        return (t.shape[0], t.shape[1], t.shape[2], t.shape[3])
    }

    static func check(_ i: Int, _ size: Int, _ what: String, _ t: Tensor) throws {
        guard i >= 0, i < size else {
            throw GeneratorError("\(what) \(i) is out of range 0..<\(size) for a batch of shape \(shapeString(t.shape))")
        }
    }
}
