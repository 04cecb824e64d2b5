/// One image panel of a figure, like matplotlib's `imshow` with `aspect="auto"`: the image
/// stretched to fill its axes, pixel-index ticks, a title and (optionally) a colour bar.
///
///     let panel = try ImagePanel(title: "Original data", values: image, width: 128, height: 128,
///                                colorMap: .gray)
public struct ImagePanel {
    /// Text above the panel.
    public var title: String
    /// Image size in pixels (columns, rows).
    public let width: Int, height: Int
    /// `height × width` values (row-major, row 0 at the top) for colour-mapped panels, or
    /// `height × width × 3` RGB values in [0, 1] for colour panels.
    public let values: [Float]
    /// 1 (values go through `colorMap`) or 3 (values are RGB, shown as they are).
    public let channels: Int
    /// The colour map for 1-channel panels.
    public var colorMap: ColorMap
    /// Values mapped to the ends of the colour map; `nil` uses the data's finite minimum and
    /// maximum, as matplotlib does.
    public var valueRange: ClosedRange<Float>?
    /// Whether a colour bar with tick labels is drawn right of the image (1-channel panels).
    public var showsColorBar: Bool

    /// A colour-mapped panel of `height × width` values.
    /// - Throws: `FigureError` when a size is below 1 or `values.count != width × height`.
    public init(title: String, values: [Float], width: Int, height: Int, colorMap: ColorMap = .viridis,
                valueRange: ClosedRange<Float>? = nil, showsColorBar: Bool = true) throws {
        try ImagePanel.check(title, values.count, width, height, 1)
        self.title = title
        self.values = values
        self.width = width
        self.height = height
        self.channels = 1
        self.colorMap = colorMap
        self.valueRange = valueRange
        self.showsColorBar = showsColorBar
    }

    /// A colour panel of `height × width × 3` RGB values in [0, 1] (no colour bar).
    public init(title: String, rgb: [Float], width: Int, height: Int) throws {
        try ImagePanel.check(title, rgb.count, width, height, 3)
        self.title = title
        self.values = rgb
        self.width = width
        self.height = height
        self.channels = 3
        self.colorMap = .viridis
        self.valueRange = nil
        self.showsColorBar = false
    }

    static func check(_ title: String, _ count: Int, _ width: Int, _ height: Int, _ channels: Int) throws {
        guard width >= 1, height >= 1 else {
            throw FigureError("panel '\(title)': expected a width and height of at least 1, but got \(width)×\(height)")
        }
        guard count == width * height * channels else {
            throw FigureError("panel '\(title)': a \(width)×\(height) image with \(channels) channel(s) needs "
                              + "\(width * height * channels) values, but got \(count)")
        }
    }

    var hasColorBar: Bool { channels == 1 && showsColorBar }

    /// The value range shown: `valueRange`, or the finite data range (widened by ±0.5 when
    /// the data is constant, so the bar has a scale).
    var shownRange: (low: Float, high: Float) {
        if let valueRange, valueRange.upperBound > valueRange.lowerBound {
            return (valueRange.lowerBound, valueRange.upperBound)
        }
        let finite = values.filter { $0.isFinite }
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        return high > low ? (low, high) : (low - 0.5, high + 0.5)
    }

    func color(at index: Int, low: Float, high: Float) -> RGBColor {
        if channels == 3 {
            return RGBColor(red: values[3 * index], green: values[3 * index + 1], blue: values[3 * index + 2])
        }
        let v = values[index]
        return v.isFinite ? colorMap.color(at: (v - low) / (high - low)) : .white
    }

    func colorBarTicks() -> (values: [Double], labels: [String]) {
        let (low, high) = shownRange
        let (ticks, step) = niceTicks(Double(low), Double(high), maxTicks: 6)
        return (ticks, tickLabels(ticks, step: step))
    }

    /// Pixel-index ticks; about one per 3 font heights of axis length, as matplotlib's
    /// `MaxNLocator(nbins="auto")` (0, 20, …, 120 for 128 px on a 300 px axis).
    func axisTicks(count: Int, length: Double = 300, fontPixels: Double = 13.9) -> (values: [Double], labels: [String]) {
        let maxTicks = max(3, min(10, Int(length / (3 * fontPixels)) + 2))
        let (ticks, step) = niceTicks(-0.5, Double(count) - 0.5, maxTicks: maxTicks)
        let integerStep = max(1, step.rounded())
        let values = ticks.filter { $0 >= 0 && $0.truncatingRemainder(dividingBy: integerStep) == 0 }
        return (values, tickLabels(values, step: integerStep))
    }

    /// Draws the image into `axes`, its ticks, title and colour bar (`barWidth` px wide).
    func draw(on canvas: inout Canvas, axes: PixelRect, painter: AxesPainter, yLabels: Bool, barWidth: Double) {
        let (low, high) = shownRange
        canvas.drawImage(columns: width, rows: height, into: axes) { color(at: $0, low: low, high: high) }
        canvas.frame(axes, painter.style.axisColor, lineWidth: painter.style.spinePixels)
        let font = Double(painter.style.fontPixels)
        let xs = axisTicks(count: width, length: axes.width, fontPixels: font)
        painter.bottomTicks(&canvas, axes, positions: xs.values.map { axes.x + ($0 + 0.5) / Double(width) * axes.width },
                            labels: xs.labels)
        let ys = axisTicks(count: height, length: axes.height, fontPixels: font)
        painter.leftTicks(&canvas, axes, positions: ys.values.map { axes.y + ($0 + 0.5) / Double(height) * axes.height },
                          labels: yLabels ? ys.labels : nil)
        painter.title(&canvas, axes, title)
        guard hasColorBar else { return }
        let bar = PixelRect(x: (axes.maxX + PanelFigure.colorBarPad(painter)).rounded(), y: axes.y,
                            width: barWidth, height: axes.height)
        let steps = max(1, Int(bar.height.rounded()))
        canvas.drawImage(columns: 1, rows: steps, into: bar) { row in
            colorMap.color(at: 1 - (Float(row) + 0.5) / Float(steps))
        }
        canvas.frame(bar, painter.style.axisColor, lineWidth: painter.style.spinePixels)
        let ticks = colorBarTicks()
        painter.rightTicks(&canvas, bar, positions: ticks.values.map {
            bar.maxY - ($0 - Double(low)) / Double(high - low) * bar.height
        }, labels: ticks.labels)
    }
}
