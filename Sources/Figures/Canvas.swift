import Foundation

/// A rectangle in pixels; `x`, `y` is the top-left corner (y grows downward).
struct PixelRect {
    var x: Double, y: Double, width: Double, height: Double
    var maxX: Double { x + width }
    var maxY: Double { y + height }
}

/// Where a text's anchor point sits relative to the text.
enum HorizontalAlignment { case left, center, right }
enum VerticalAlignment { case top, center, baseline, bottom }

/// A drawing surface of floating-point RGB pixels on a white background.
///
/// Shapes are anti-aliased by coverage: a pixel covered by a fraction `c` of a shape is
/// blended as `old · (1 − c·α) + colour · c·α`. Pixel (x, y) covers [x, x+1) × [y, y+1).
struct Canvas {
    let width: Int, height: Int
    private(set) var rgb: [Float]

    init(width: Int, height: Int, background: RGBColor = .white) {
        self.width = width
        self.height = height
        rgb = [Float](repeating: 0, count: width * height * 3)
        for p in 0..<(width * height) {
            rgb[3 * p] = background.red
            rgb[3 * p + 1] = background.green
            rgb[3 * p + 2] = background.blue
        }
    }

    /// Blends `color` into pixel (x, y) with opacity `alpha`; pixels outside are ignored.
    @inline(__always)
    mutating func blend(_ x: Int, _ y: Int, _ color: RGBColor, _ alpha: Float) {
        guard x >= 0, y >= 0, x < width, y < height, alpha > 0 else { return }
        let i = (y * width + x) * 3
        let a = min(alpha, 1)
        rgb[i] += (color.red - rgb[i]) * a
        rgb[i + 1] += (color.green - rgb[i + 1]) * a
        rgb[i + 2] += (color.blue - rgb[i + 2]) * a
    }

    /// Fills a rectangle; partly covered edge pixels are blended by their coverage.
    mutating func fill(_ r: PixelRect, _ color: RGBColor, alpha: Float = 1) {
        let x0 = max(0, Int(r.x.rounded(.down))), x1 = min(width, Int(r.maxX.rounded(.up)))
        let y0 = max(0, Int(r.y.rounded(.down))), y1 = min(height, Int(r.maxY.rounded(.up)))
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            let cy = min(Double(y + 1), r.maxY) - max(Double(y), r.y)
            for x in x0..<x1 {
                let cx = min(Double(x + 1), r.maxX) - max(Double(x), r.x)
                blend(x, y, color, alpha * Float(max(0, cx) * max(0, cy)))
            }
        }
    }

    /// A 1-pixel-grid-aligned frame around `r` (matplotlib's axes spines), `lineWidth` px wide,
    /// drawn just outside the pixel edges of `r`.
    mutating func frame(_ r: PixelRect, _ color: RGBColor, lineWidth: Double) {
        fill(PixelRect(x: r.x - lineWidth, y: r.y - lineWidth, width: r.width + 2 * lineWidth, height: lineWidth), color)
        fill(PixelRect(x: r.x - lineWidth, y: r.maxY, width: r.width + 2 * lineWidth, height: lineWidth), color)
        fill(PixelRect(x: r.x - lineWidth, y: r.y, width: lineWidth, height: r.height), color)
        fill(PixelRect(x: r.maxX, y: r.y, width: lineWidth, height: r.height), color)
    }

    /// Draws a polyline `lineWidth` px wide with round joins, anti-aliased, clipped to `clip`.
    /// Points that are not finite break the line. Overlapping segments do not darken each
    /// other: coverage is the maximum over segments, then blended once with `alpha`.
    mutating func strokePolyline(_ points: [(Double, Double)], _ color: RGBColor, lineWidth: Double,
                                 alpha: Float = 1, clip: PixelRect) {
        let cx0 = max(0, Int(clip.x.rounded(.down))), cx1 = min(width, Int(clip.maxX.rounded(.up)))
        let cy0 = max(0, Int(clip.y.rounded(.down))), cy1 = min(height, Int(clip.maxY.rounded(.up)))
        guard cx0 < cx1, cy0 < cy1 else { return }
        let mw = cx1 - cx0
        var mask = [Float](repeating: 0, count: mw * (cy1 - cy0))
        let half = lineWidth / 2
        func segment(_ a: (Double, Double), _ b: (Double, Double)) {
            let minX = max(cx0, Int((min(a.0, b.0) - half - 1).rounded(.down)))
            let maxX = min(cx1 - 1, Int((max(a.0, b.0) + half + 1).rounded(.up)))
            let minY = max(cy0, Int((min(a.1, b.1) - half - 1).rounded(.down)))
            let maxY = min(cy1 - 1, Int((max(a.1, b.1) + half + 1).rounded(.up)))
            guard minX <= maxX, minY <= maxY else { return }
            let dx = b.0 - a.0, dy = b.1 - a.1
            let length2 = dx * dx + dy * dy
            for y in minY...maxY {
                let py = Double(y) + 0.5
                for x in minX...maxX {
                    let px = Double(x) + 0.5
                    var t = length2 > 0 ? ((px - a.0) * dx + (py - a.1) * dy) / length2 : 0
                    t = min(max(t, 0), 1)
                    let ex = px - (a.0 + t * dx), ey = py - (a.1 + t * dy)
                    let distance = (ex * ex + ey * ey).squareRoot()
                    let c = Float(min(max(half + 0.5 - distance, 0), 1))
                    let m = (y - cy0) * mw + (x - cx0)
                    if c > mask[m] { mask[m] = c }
                }
            }
        }
        var previous: (Double, Double)?
        for p in points {
            guard p.0.isFinite, p.1.isFinite else { previous = nil; continue }
            segment(previous ?? p, p)
            previous = p
        }
        for y in cy0..<cy1 {
            for x in cx0..<cx1 {
                let c = mask[(y - cy0) * mw + (x - cx0)]
                if c > 0 { blend(x, y, color, c * alpha) }
            }
        }
    }

    /// Draws an image of `columns × rows` colours into `r`, nearest neighbour (imshow's look
    /// for small images): pixel (x, y) of `r` shows the cell under its centre.
    mutating func drawImage(columns: Int, rows: Int, into r: PixelRect, color: (Int) -> RGBColor) {
        let x0 = max(0, Int(r.x.rounded())), x1 = min(width, Int(r.maxX.rounded()))
        let y0 = max(0, Int(r.y.rounded())), y1 = min(height, Int(r.maxY.rounded()))
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            let row = min(rows - 1, max(0, Int((Double(y) + 0.5 - r.y) / r.height * Double(rows))))
            for x in x0..<x1 {
                let column = min(columns - 1, max(0, Int((Double(x) + 0.5 - r.x) / r.width * Double(columns))))
                let c = color(row * columns + column)
                let i = (y * width + x) * 3
                rgb[i] = c.red
                rgb[i + 1] = c.green
                rgb[i + 2] = c.blue
            }
        }
    }

    /// Draws rendered text so that its anchor (given by the alignments) lands on (x, y).
    mutating func draw(_ text: TextBitmap, at x: Double, _ y: Double, _ color: RGBColor,
                       horizontal: HorizontalAlignment, vertical: VerticalAlignment) {
        let left: Double
        switch horizontal {
        case .left: left = x
        case .center: left = x - Double(text.advance) / 2
        case .right: left = x - Double(text.advance)
        }
        let top: Double
        switch vertical {
        case .top: top = y
        case .center: top = y - Double(text.ascent + text.descent) / 2
        case .baseline: top = y - Double(text.baseline)
        case .bottom: top = y - Double(text.ascent + text.descent)
        }
        let ox = Int(left.rounded()) - text.originX, oy = Int(top.rounded())
        for ty in 0..<text.height {
            for tx in 0..<text.width {
                let c = text.coverage[ty * text.width + tx]
                if c > 0 { blend(ox + tx, oy + ty, color, c) }
            }
        }
    }

    /// Draws a bitmap rotated 90° counter-clockwise (already rotated), centred on (x, y)
    /// vertically and with its right edge at x.
    mutating func drawRotated(_ rotated: TextBitmap, rightEdge x: Double, centerY y: Double, _ color: RGBColor) {
        // after rotation the logical text runs bottom → top; its width is the font height
        let ox = Int((x - Double(rotated.width)).rounded())
        let oy = Int((y - Double(rotated.height) / 2).rounded())
        for ty in 0..<rotated.height {
            for tx in 0..<rotated.width {
                let c = rotated.coverage[ty * rotated.width + tx]
                if c > 0 { blend(ox + tx, oy + ty, color, c) }
            }
        }
    }

    /// The canvas as 8-bit RGB.
    func image() throws -> RGBImage {
        try RGBImage(width: width, height: height,
                     pixels: rgb.map { UInt8(min(max($0, 0), 1) * 255 + 0.5) })
    }
}
