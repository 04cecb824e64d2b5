/// Drawing of axes furniture shared by image panels and line plots: spines, outward ticks
/// with labels (matplotlib's default look), titles.
struct AxesPainter {
    let style: FigureStyle
    let font: Font

    var tickLength: Double { style.px(style.tickLength).rounded() }
    var tickPad: Double { style.px(style.tickPad) }
    var tickWidth: Double { style.spinePixels }

    func text(_ s: String, size: Float? = nil) -> TextBitmap {
        font.render(s, pixelSize: size ?? style.fontPixels)
    }

    /// Height of one line of tick-label text.
    var labelHeight: Double {
        let t = text("0")
        return Double(t.ascent + t.descent)
    }

    /// Widest label, in pixels.
    func maxWidth(_ labels: [String]) -> Double {
        labels.map { Double(text($0).advance) }.max() ?? 0
    }

    /// Ticks below the bottom edge of `r`: `positions` are x pixel coordinates.
    func bottomTicks(_ canvas: inout Canvas, _ r: PixelRect, positions: [Double], labels: [String]?) {
        for (i, x) in positions.enumerated() {
            let snapped = (x - tickWidth / 2).rounded()
            canvas.fill(PixelRect(x: snapped, y: r.maxY, width: tickWidth, height: tickLength + style.spinePixels),
                        style.axisColor)
            if let labels {
                canvas.draw(text(labels[i]), at: snapped + tickWidth / 2, r.maxY + style.spinePixels + tickLength + tickPad,
                            style.textColor, horizontal: .center, vertical: .top)
            }
        }
    }

    /// Ticks left of `r`: `positions` are y pixel coordinates.
    func leftTicks(_ canvas: inout Canvas, _ r: PixelRect, positions: [Double], labels: [String]?) {
        for (i, y) in positions.enumerated() {
            let snapped = (y - tickWidth / 2).rounded()
            canvas.fill(PixelRect(x: r.x - style.spinePixels - tickLength, y: snapped,
                                  width: tickLength + style.spinePixels, height: tickWidth), style.axisColor)
            if let labels {
                canvas.draw(text(labels[i]), at: r.x - style.spinePixels - tickLength - tickPad,
                            snapped + tickWidth / 2, style.textColor, horizontal: .right, vertical: .center)
            }
        }
    }

    /// Ticks right of `r` (colour bars): `positions` are y pixel coordinates.
    func rightTicks(_ canvas: inout Canvas, _ r: PixelRect, positions: [Double], labels: [String]) {
        for (i, y) in positions.enumerated() {
            let snapped = (y - tickWidth / 2).rounded()
            canvas.fill(PixelRect(x: r.maxX, y: snapped, width: tickLength + style.spinePixels, height: tickWidth),
                        style.axisColor)
            canvas.draw(text(labels[i]), at: r.maxX + style.spinePixels + tickLength + tickPad,
                        snapped + tickWidth / 2, style.textColor, horizontal: .left, vertical: .center)
        }
    }

    /// A title centred above `r`.
    func title(_ canvas: inout Canvas, _ r: PixelRect, _ title: String) {
        guard !title.isEmpty else { return }
        canvas.draw(font.render(title, pixelSize: style.titlePixels), at: r.x + r.width / 2,
                    r.y - style.spinePixels - style.px(style.titlePad), style.textColor,
                    horizontal: .center, vertical: .bottom)
    }

    /// Space a title takes above the axes.
    var titleSpace: Double {
        let t = font.render("Tg", pixelSize: style.titlePixels)
        return Double(t.ascent + t.descent) + style.px(style.titlePad) + style.spinePixels
    }

    /// Space x tick labels take below the axes.
    var bottomTickSpace: Double { style.spinePixels + tickLength + tickPad + labelHeight }
}
