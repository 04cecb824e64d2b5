/// An 8-bit RGB picture: `height` rows of `width` pixels, each 3 bytes (R, G, B), row-major.
public struct RGBImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `height × width × 3` bytes.
    public var pixels: [UInt8]

    /// - Throws: `FigureError` when a size is not positive or `pixels` has the wrong count.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0 else {
            throw FigureError("an image needs a positive width and height, but got \(width)×\(height)")
        }
        guard pixels.count == width * height * 3 else {
            throw FigureError("a \(width)×\(height) RGB image needs \(width * height * 3) bytes, "
                              + "but got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The pixel at column `x`, row `y` (row 0 at the top).
    public subscript(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }
}
