import UNetKit

/// RGB to grey with the ITU-R BT.601 luma weights Y = 0.299 R + 0.587 G + 0.114 B.
public enum GreyConversion {
    /// A B×H×W×3 batch (R, G, B) to B×H×W×1 in floating point: 0.299 R + 0.587 G + 0.114 B.
    /// - Throws: `GeneratorError` when the tensor is not B×H×W×3.
    public static func grey(_ images: Tensor) throws -> Tensor {
        guard images.rank == 4, images.shape[3] == 3 else {
            throw GeneratorError("GreyConversion.grey: expected a B×H×W×3 batch (RGB, channels last), "
                                 + "but got shape \(shapeString(images.shape))")
        }
        let count = images.count / 3
        var out = [Float](repeating: 0, count: count)
        images.scalars.withUnsafeBufferPointer { s in
            for p in 0..<count { out[p] = 0.299 * s[3 * p] + 0.587 * s[3 * p + 1] + 0.114 * s[3 * p + 2] }
        }
        return try Tensor(shape: Array(images.shape.dropLast()) + [1], scalars: out)
    }

    /// 8-bit RGB triples (`width × height × 3`, interleaved R, G, B) to an 8-bit grey image as
    /// OpenCV's `cvtColor(…, COLOR_RGB2GRAY)` computes it: in 15-bit fixed point,
    /// Y = (9798 R + 19235 G + 3735 B + 2¹⁴) >> 15 (the weights are 0.299, 0.587, 0.114 × 2¹⁵,
    /// rounded so that they sum to 2¹⁵; older OpenCV used 14 bits, which differs by one grey
    /// level on a few pixels).
    /// - Throws: `GeneratorError` when `rgb.count ≠ 3 × width × height`.
    public static func grey(rgb: [UInt8], width: Int, height: Int) throws -> ByteImage {
        guard width >= 1, height >= 1, rgb.count == 3 * width * height else {
            throw GeneratorError("GreyConversion.grey(rgb:): a \(width)×\(height) RGB image needs "
                                 + "\(3 * max(0, width * height)) bytes, but got \(rgb.count)")
        }
        var out = [UInt8](repeating: 0, count: width * height)
        for p in 0..<(width * height) {
            let y = 9798 * Int(rgb[3 * p]) + 19235 * Int(rgb[3 * p + 1]) + 3735 * Int(rgb[3 * p + 2]) + 16384
            out[p] = UInt8(y >> 15)
        }
        return try ByteImage(width: width, height: height, pixels: out)
    }
}
