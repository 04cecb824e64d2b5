import CFreeType
import Foundation

/// DejaVu Sans through FreeType: anti-aliased, lightly hinted glyphs placed at quarter-pixel
/// positions, with the font's kerning.
///
/// DejaVu Sans is matplotlib's default font, so the figures read like the course's. It is
/// looked up at `$UNETLAB_FONT`, then where Debian (`fonts-dejavu-core`), Fedora and Arch
/// install it. FreeType's objects are not thread-safe: every use takes `lock`.
final class Font: @unchecked Sendable {
    private var library: FT_Library?
    private var face: FT_Face?
    private let lock = NSLock()
    private var cache: [GlyphKey: Glyph] = [:]
    let path: String

    /// Places DejaVu Sans is looked for, in order (after `$UNETLAB_FONT`).
    static let searchPaths = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",   // Debian, Ubuntu
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", // Fedora
        "/usr/share/fonts/TTF/DejaVuSans.ttf",               // Arch
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/local/share/fonts/DejaVuSans.ttf",
    ]

    private static let sharedResult: Result<Font, FigureError> = {
        var candidates = searchPaths
        if let custom = ProcessInfo.processInfo.environment["UNETLAB_FONT"], !custom.isEmpty {
            candidates.insert(custom, at: 0)
        }
        guard let path = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            return .failure(FigureError(
                "no font for figure text: DejaVu Sans was not found at \(candidates.joined(separator: ", ")); "
                + "install it with `apt-get install fonts-dejavu-core` (`make deps` does) or set UNETLAB_FONT "
                + "to a .ttf file"))
        }
        return Result { try Font(path: path) }.mapError { $0 as? FigureError ?? FigureError("\($0)") }
    }()

    /// The font every figure uses.
    static func shared() throws -> Font { try sharedResult.get() }

    init(path: String) throws {
        self.path = path
        var library: FT_Library?
        var error = FT_Init_FreeType(&library)
        guard error == 0, let library else { throw FigureError("FreeType could not start (error \(error))") }
        var face: FT_Face?
        error = FT_New_Face(library, path, 0, &face)
        guard error == 0, let face else {
            FT_Done_FreeType(library)
            throw FigureError("FreeType could not open the font '\(path)' (error \(error))")
        }
        self.library = library
        self.face = face
    }

    deinit {
        if let face { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
    }

    private struct GlyphKey: Hashable { let index: UInt32; let size: Int32; let phase: Int32 }
    private struct Glyph { let width: Int, rows: Int, left: Int, top: Int, coverage: [UInt8] }

    /// Renders `text` on one line at `pixelSize` (the em size in pixels: points × dpi / 72).
    func render(_ text: String, pixelSize: Float) -> TextBitmap {
        lock.lock()
        defer { lock.unlock() }
        guard let face else { return TextBitmap(width: 1, height: 1, coverage: [0], originX: 0, baseline: 0,
                                                advance: 0, ascent: 0, descent: 0) }
        let size26 = FT_F26Dot6(max(1, (pixelSize * 64).rounded()))
        FT_Set_Char_Size(face, 0, size26, 72, 72)
        let metrics = face.pointee.size.pointee.metrics
        let ascent = Int((metrics.ascender + 63) >> 6)
        let descent = Int((-metrics.descender + 63) >> 6)
        let hasKerning = (face.pointee.face_flags & FT_Long(FT_FACE_FLAG_KERNING)) != 0
        let loadFlags = FT_Int32(FT_LOAD_RENDER) | (FT_Int32(FT_RENDER_MODE_LIGHT.rawValue) << 16)

        // Pass 1: glyphs and their pen positions (26.6 fixed point).
        var placed: [(Glyph, Int)] = []   // glyph and integer pen x
        var pen: Int = 0
        var previous: FT_UInt = 0
        for scalar in text.unicodeScalars {
            let index = FT_Get_Char_Index(face, FT_ULong(scalar.value))
            if hasKerning, previous != 0, index != 0 {
                var delta = FT_Vector()
                if FT_Get_Kerning(face, previous, index, FT_UInt(FT_KERNING_UNFITTED.rawValue), &delta) == 0 {
                    pen += Int(delta.x)
                }
            }
            let phase = Int32((pen & 63) / 16)   // quarter-pixel position
            let key = GlyphKey(index: index, size: Int32(size26), phase: phase)
            let glyph: Glyph
            if let cached = cache[key] {
                glyph = cached
            } else {
                var delta = FT_Vector(x: FT_Pos(phase * 16), y: 0)
                FT_Set_Transform(face, nil, &delta)
                if FT_Load_Glyph(face, index, loadFlags) == 0 {
                    let slot = face.pointee.glyph.pointee
                    let bitmap = slot.bitmap
                    let width = Int(bitmap.width), rows = Int(bitmap.rows)
                    var coverage = [UInt8](repeating: 0, count: width * rows)
                    if let buffer = bitmap.buffer {
                        for y in 0..<rows {
                            for x in 0..<width {
                                coverage[y * width + x] = buffer[y * Int(bitmap.pitch) + x]
                            }
                        }
                    }
                    glyph = Glyph(width: width, rows: rows, left: Int(slot.bitmap_left), top: Int(slot.bitmap_top),
                                  coverage: coverage)
                } else {
                    glyph = Glyph(width: 0, rows: 0, left: 0, top: 0, coverage: [])
                }
                FT_Set_Transform(face, nil, nil)
                cache[key] = glyph
            }
            placed.append((glyph, pen >> 6))
            // advance of the unhinted outline, so spacing does not depend on hinting
            FT_Load_Glyph(face, index, FT_Int32(FT_LOAD_NO_HINTING))
            pen += Int(face.pointee.glyph.pointee.advance.x)
            previous = index
        }

        // Pass 2: composite into one bitmap with 2 px of margin on each side.
        let margin = 2
        let advance = Float(pen) / 64
        let width = max(1, Int(advance.rounded(.up)) + 2 * margin)
        let height = max(1, ascent + descent)
        var coverage = [Float](repeating: 0, count: width * height)
        for (glyph, x0) in placed {
            for gy in 0..<glyph.rows {
                let y = ascent - glyph.top + gy
                guard y >= 0, y < height else { continue }
                for gx in 0..<glyph.width {
                    let x = margin + x0 + glyph.left + gx
                    guard x >= 0, x < width else { continue }
                    let c = Float(glyph.coverage[gy * glyph.width + gx]) / 255
                    coverage[y * width + x] = min(1, coverage[y * width + x] + c)
                }
            }
        }
        return TextBitmap(width: width, height: height, coverage: coverage, originX: margin, baseline: ascent,
                          advance: advance, ascent: ascent, descent: descent)
    }
}
