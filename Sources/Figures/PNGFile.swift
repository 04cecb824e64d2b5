import CPNG
import Foundation
import UNetKit

/// PNG encoding and decoding with libpng's simplified API (`png_image`), which reports errors
/// through a return value and `png_image.message` — libpng's setjmp/longjmp error handling
/// cannot be used from Swift.
extension RGBImage {
    /// The image encoded as a PNG file's bytes (`png_image_write_to_memory`).
    /// - Throws: `FigureError` with libpng's message.
    public func pngData() throws -> [UInt8] {
        var image = pngImage()
        defer { png_image_free(&image) }
        var size = 0
        let stride = Int32(width * 3)
        let sized = pixels.withUnsafeBytes {
            png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, stride, nil)
        }
        guard sized != 0, size > 0 else { throw FigureError("libpng could not encode the image: \(message(of: image))") }
        var bytes = [UInt8](repeating: 0, count: size)
        let written = bytes.withUnsafeMutableBytes { out in
            pixels.withUnsafeBytes {
                png_image_write_to_memory(&image, out.baseAddress, &size, 0, $0.baseAddress, stride, nil)
            }
        }
        guard written != 0 else { throw FigureError("libpng could not encode the image: \(message(of: image))") }
        return Array(bytes.prefix(size))
    }

    /// Writes the image as a PNG file, completely or not at all: the bytes go to a temporary
    /// file in the same directory, which is flushed to disk and then renamed over `path`.
    /// An existing file at `path` stays untouched when anything fails.
    /// - Throws: `FigureError` with libpng's or the operating system's message.
    public func writePNG(to path: String) throws {
        try writeAtomically(try pngData(), to: path)
    }

    /// The largest image `readPNG` and `decodePNG` decode by default: 4096 × 4096 pixels
    /// (48 MiB as RGB). The size is read from the PNG header before any pixel memory is
    /// allocated, so a 68-byte file claiming 100000 × 100000 pixels costs nothing.
    public static let maximumPixels = 4096 * 4096
    /// The largest PNG file `readPNG` reads: 256 MiB.
    public static let maximumFileBytes = 256 << 20

    /// Reads a PNG file (any colour type libpng understands) as 8-bit RGB. Only a regular file
    /// is read (a folder, FIFO or device is refused before reading), at most `maximumFileBytes`.
    /// - Throws: `FigureError` naming the file and what is wrong (missing, not a PNG, damaged,
    ///   larger than `maximumPixels`, …).
    public static func readPNG(from path: String, maximumPixels: Int = RGBImage.maximumPixels) throws -> RGBImage {
        let bytes = try readRegularFile(path)
        return try decodePNG(bytes, source: path, maximumPixels: maximumPixels)
    }

    /// Decodes PNG bytes as 8-bit RGB (`png_image_begin_read_from_memory` / `png_image_finish_read`),
    /// checking the header's width × height against `maximumPixels` before allocating.
    /// `source` names the bytes in error messages.
    public static func decodePNG(_ bytes: [UInt8], source: String = "PNG data",
                                 maximumPixels: Int = RGBImage.maximumPixels) throws -> RGBImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        guard !bytes.isEmpty else { throw FigureError("cannot read PNG '\(source)': the file is empty") }
        let begun = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else {
            throw FigureError("cannot read PNG '\(source)': \(message(of: image))")
        }
        let width = Int(image.width), height = Int(image.height)
        guard width >= 1, height >= 1, width * height <= maximumPixels else {
            throw FigureError("cannot read PNG '\(source)': its header says \(width)×\(height) pixels, expected at least 1×1 "
                              + "and at most \(maximumPixels) pixels (e.g. 4096×4096)")
        }
        image.format = UInt32(PNG_FORMAT_RGB)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let ok = pixels.withUnsafeMutableBytes {
            png_image_finish_read(&image, nil, $0.baseAddress, Int32(width * 3), nil)
        }
        guard ok != 0 else { throw FigureError("cannot read PNG '\(source)': \(message(of: image))") }
        return try RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The bytes of the regular file at `path`, at most `maximumFileBytes` (UNetKit's
    /// `readRegularFile`, its error as a `FigureError`).
    static func readRegularFile(_ path: String) throws -> [UInt8] {
        do {
            return try UNetKit.readRegularFile(path, limit: maximumFileBytes, what: "a PNG file")
        } catch let error as FileReadError {
            throw FigureError(error.message)
        }
    }

    func pngImage() -> png_image {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = UInt32(PNG_FORMAT_RGB)
        return image
    }
}

/// libpng's error or warning text from `png_image.message` (a fixed-size C char array).
func message(of image: png_image) -> String {
    var copy = image.message
    let text = withUnsafeBytes(of: &copy) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    return text.isEmpty ? "unknown libpng error" : text
}

/// Writes `bytes` to `path` completely or not at all (UNetKit's `writeFileAtomically`: a
/// temporary file in the same directory, `fsync`, `rename(2)`), its error as a `FigureError`.
func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    do {
        try writeFileAtomically(bytes, to: path)
    } catch let error as FileWriteError {
        throw FigureError(error.message)
    }
}
