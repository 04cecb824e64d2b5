import CPNG
import Foundation

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

    /// Reads a PNG file (any colour type libpng understands) as 8-bit RGB
    /// (`png_image_begin_read_from_file` / `png_image_finish_read`).
    /// - Throws: `FigureError` with libpng's message (missing file, not a PNG, …).
    public static func readPNG(from path: String) throws -> RGBImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            throw FigureError("cannot read PNG '\(path)': \(message(of: image))")
        }
        image.format = UInt32(PNG_FORMAT_RGB)
        let width = Int(image.width), height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let ok = pixels.withUnsafeMutableBytes {
            png_image_finish_read(&image, nil, $0.baseAddress, Int32(width * 3), nil)
        }
        guard ok != 0 else { throw FigureError("cannot read PNG '\(path)': \(message(of: image))") }
        return try RGBImage(width: width, height: height, pixels: pixels)
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

/// Writes `bytes` to `path` through a temporary file in the same directory and `rename(2)`,
/// so readers see the old file or the complete new one, never a partial one.
func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    func osError(_ what: String) -> FigureError {
        FigureError("cannot write '\(path)': \(what): \(String(cString: strerror(errno)))")
    }
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard fd >= 0 else { throw osError("cannot create a file in '\(directory)'") }
    var done = false
    defer {
        if !done { unlink(temporary) }
    }
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
        if n < 0 {
            if errno == EINTR { continue }
            let error = osError("write failed")
            close(fd)
            throw error
        }
        offset += n
    }
    if fsync(fd) != 0 {
        let error = osError("fsync failed")
        close(fd)
        throw error
    }
    guard close(fd) == 0 else { throw osError("close failed") }
    guard rename(temporary, path) == 0 else { throw osError("rename failed") }
    done = true
}
