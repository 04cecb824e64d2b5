/// Histogram equalisation of an 8-bit grey image, as OpenCV's `equalizeHist` computes it.
///
/// With h the histogram, N the number of pixels, i₀ the smallest grey level present and
/// cdf(j) = h(0) + … + h(j):
///
///     lut[j] = round((cdf(j) − h(i₀)) · 255 / (N − h(i₀)))     for j ≥ i₀
///
/// (in single precision, rounding half to even, as OpenCV's `saturate_cast`), and every pixel
/// v becomes lut[v]. The darkest level present maps to 0, the brightest to 255.
/// A constant image (N = h(i₀)) is returned unchanged: OpenCV fills it with its own value i₀.
public enum HistogramEqualization {
    public static func equalize(_ image: ByteImage) -> ByteImage {
        var histogram = [Int](repeating: 0, count: 256)
        for v in image.pixels { histogram[Int(v)] += 1 }
        let total = image.pixels.count
        guard let first = histogram.firstIndex(where: { $0 > 0 }) else { return image }
        if histogram[first] == total { return image }
        let scale = Float(255) / Float(total - histogram[first])
        var lut = [UInt8](repeating: 0, count: 256)
        var sum = 0
        for j in (first + 1)..<256 {
            sum += histogram[j]
            lut[j] = saturatingByte(Float(sum) * scale)
        }
        var out = image
        for i in out.pixels.indices { out.pixels[i] = lut[Int(out.pixels[i])] }
        return out
    }

    /// OpenCV's `saturate_cast<uchar>(float)`: round half to even, then clamp to 0…255.
    static func saturatingByte(_ v: Float) -> UInt8 {
        let r = v.rounded(.toNearestOrEven)
        return r <= 0 ? 0 : (r >= 255 ? 255 : UInt8(r))
    }
}
