/// A line of text rendered as coverage (0 = background, 1 = fully inked), ready to be drawn.
struct TextBitmap {
    /// Size of the bitmap in pixels.
    let width: Int, height: Int
    /// `height × width` coverage values, row-major.
    let coverage: [Float]
    /// Pixels from the left edge to where the pen started (the text's logical left edge).
    let originX: Int
    /// Rows from the top edge to the baseline.
    let baseline: Int
    /// The pen advance: the text's logical width in pixels.
    let advance: Float
    /// Ascent and descent of the font at this size (logical height = ascent + descent).
    let ascent: Int, descent: Int

    /// The bitmap turned 90° counter-clockwise (for a y-axis label read bottom to top).
    func rotatedCounterClockwise() -> TextBitmap {
        var out = [Float](repeating: 0, count: width * height)
        // new size: width' = height, height' = width; pixel (x, y) → (y, width − 1 − x)
        for y in 0..<height {
            for x in 0..<width {
                out[(width - 1 - x) * height + y] = coverage[y * width + x]
            }
        }
        return TextBitmap(width: height, height: width, coverage: out, originX: originX, baseline: baseline,
                          advance: advance, ascent: ascent, descent: descent)
    }
}
