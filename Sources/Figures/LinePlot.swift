import Foundation

/// One line of a `LinePlot`.
public struct LineSeries {
    /// Legend text.
    public var name: String
    /// y values; x is `xValues`, or the index 0, 1, 2, … (the step).
    public var values: [Float]
    public var xValues: [Float]?
    public var color: RGBColor
    /// EMA weight in [0, 1): when set, the raw values are drawn light and the smoothed
    /// curve solid over them (the legend shows the solid one). `nil`: raw values, solid.
    public var smoothing: Float?

    /// - Throws: `FigureError` when there is no finite value, `xValues` has another count, or
    ///   `smoothing` is outside [0, 1).
    public init(name: String, values: [Float], xValues: [Float]? = nil, color: RGBColor = RGBColor.tab10[0],
                smoothing: Float? = nil) throws {
        guard values.contains(where: \.isFinite) else {
            throw FigureError("series '\(name)': expected at least one finite value, but got \(values.count) "
                              + "value(s), none finite")
        }
        if let xValues, xValues.count != values.count {
            throw FigureError("series '\(name)': expected \(values.count) x values (one per y value), "
                              + "but got \(xValues.count)")
        }
        if let smoothing, !(smoothing >= 0 && smoothing < 1) {
            throw FigureError("series '\(name)': smoothing must be in [0, 1), but got \(smoothing)")
        }
        self.name = name
        self.values = values
        self.xValues = xValues
        self.color = color
        self.smoothing = smoothing
    }

    var xs: [Float] { xValues ?? values.indices.map(Float.init) }
}

/// A line plot in matplotlib's default look: framed axes, outward ticks at nice values with
/// labels, axis labels, a title, a legend when there are several series, data margins of 5%.
///
///     let plot = try LinePlot(title: "Training loss", xLabel: "step", yLabel: "BCE loss",
///                             series: [try LineSeries(name: "UNet", values: losses, smoothing: 0.9)])
///     try plot.write(to: "loss.png")
public struct LinePlot: Figure {
    public var title: String
    public var xLabel: String, yLabel: String
    public var series: [LineSeries]
    /// Figure size in pixels (default 800×500).
    public var width: Int, height: Int
    /// Light grey grid lines at the ticks.
    public var showsGrid: Bool
    /// Legend: `nil` draws one when there is more than one series.
    public var showsLegend: Bool?

    /// - Throws: `FigureError` when there is no series or the size is below 200×150.
    public init(title: String, xLabel: String, yLabel: String, series: [LineSeries], width: Int = 800,
                height: Int = 500, showsGrid: Bool = true, showsLegend: Bool? = nil) throws {
        guard !series.isEmpty else { throw FigureError("LinePlot '\(title)': expected at least one series, but got none") }
        guard width >= 200, height >= 150 else {
            throw FigureError("LinePlot '\(title)': expected at least 200×150 pixels, but got \(width)×\(height)")
        }
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.width = width
        self.height = height
        self.showsGrid = showsGrid
        self.showsLegend = showsLegend
    }

    /// Data limits with matplotlib's 5% margins.
    func limits() -> (x: (Double, Double), y: (Double, Double)) {
        var xLow = Double.infinity, xHigh = -Double.infinity, yLow = Double.infinity, yHigh = -Double.infinity
        for s in series {
            for (x, y) in zip(s.xs, s.values) where x.isFinite && y.isFinite {
                xLow = min(xLow, Double(x)); xHigh = max(xHigh, Double(x))
                yLow = min(yLow, Double(y)); yHigh = max(yHigh, Double(y))
            }
        }
        func widen(_ low: Double, _ high: Double) -> (Double, Double) {
            if high > low { let m = 0.05 * (high - low); return (low - m, high + m) }
            let m = max(abs(low) * 0.05, 0.5)
            return (low - m, high + m)
        }
        return (widen(xLow, xHigh), widen(yLow, yHigh))
    }

    public func render() throws -> RGBImage {
        let style = FigureStyle()
        let painter = AxesPainter(style: style, font: try Font.shared())
        var canvas = Canvas(width: width, height: height)
        let (xLimits, yLimits) = limits()
        let xTicks = niceTicks(xLimits.0, xLimits.1, maxTicks: 8)
        let yTicks = niceTicks(yLimits.0, yLimits.1, maxTicks: 8)
        let xTickLabels = tickLabels(xTicks.values, step: xTicks.step)
        let yTickLabels = tickLabels(yTicks.values, step: yTicks.step)

        let outer = style.px(8)
        let labelHeight = painter.labelHeight
        let left = outer + labelHeight + style.px(style.labelPad) + painter.maxWidth(yTickLabels)
            + painter.tickPad + painter.tickLength + style.spinePixels
        let bottom = outer + labelHeight + style.px(style.labelPad) + painter.bottomTickSpace
        let top = outer + painter.titleSpace
        let right = outer + painter.maxWidth([xTickLabels.last ?? ""]) / 2
        let axes = PixelRect(x: left.rounded(), y: top.rounded(), width: (Double(width) - left - right).rounded(),
                             height: (Double(height) - top - bottom).rounded())
        func px(_ x: Double) -> Double { axes.x + (x - xLimits.0) / (xLimits.1 - xLimits.0) * axes.width }
        func py(_ y: Double) -> Double { axes.maxY - (y - yLimits.0) / (yLimits.1 - yLimits.0) * axes.height }

        if showsGrid {
            let grid = RGBColor(hex: 0xb0b0b0)
            for x in xTicks.values { canvas.fill(PixelRect(x: px(x).rounded() - 0.5 * 0, y: axes.y, width: 1, height: axes.height), grid, alpha: 0.35) }
            for y in yTicks.values { canvas.fill(PixelRect(x: axes.x, y: py(y).rounded(), width: axes.width, height: 1), grid, alpha: 0.35) }
        }
        let lineWidth = style.px(style.lineWidth)
        for s in series {
            let points = zip(s.xs, s.values).map { (px(Double($0)), py(Double($1))) }
            if let w = s.smoothing {
                canvas.strokePolyline(points, s.color, lineWidth: max(1, lineWidth * 0.6), alpha: 0.3, clip: axes)
                let smooth = exponentialMovingAverage(s.values, weight: w)
                canvas.strokePolyline(zip(s.xs, smooth).map { (px(Double($0)), py(Double($1))) }, s.color,
                                      lineWidth: lineWidth, clip: axes)
            } else {
                canvas.strokePolyline(points, s.color, lineWidth: lineWidth, clip: axes)
            }
        }
        canvas.frame(axes, style.axisColor, lineWidth: style.spinePixels)
        painter.bottomTicks(&canvas, axes, positions: xTicks.values.map(px), labels: xTickLabels)
        painter.leftTicks(&canvas, axes, positions: yTicks.values.map(py), labels: yTickLabels)
        painter.title(&canvas, axes, title)
        canvas.draw(painter.text(xLabel), at: axes.x + axes.width / 2, Double(height) - outer, style.textColor,
                    horizontal: .center, vertical: .bottom)
        canvas.drawRotated(painter.text(yLabel).rotatedCounterClockwise(), rightEdge: outer + labelHeight,
                           centerY: axes.y + axes.height / 2, style.textColor)
        if showsLegend ?? (series.count > 1) { drawLegend(&canvas, axes, painter, lineWidth: lineWidth) }
        return try canvas.image()
    }

    /// matplotlib's legend box, upper right: white, 80% opaque, light grey edge.
    func drawLegend(_ canvas: inout Canvas, _ axes: PixelRect, _ painter: AxesPainter, lineWidth: Double) {
        let style = painter.style
        let lineLength = style.px(20), gap = style.px(8), pad = style.px(5)
        let rowHeight = painter.labelHeight + style.px(3)
        let textWidth = painter.maxWidth(series.map(\.name))
        let box = PixelRect(x: (axes.maxX - style.px(6) - (2 * pad + lineLength + gap + textWidth)).rounded(),
                            y: (axes.y + style.px(6)).rounded(),
                            width: (2 * pad + lineLength + gap + textWidth).rounded(),
                            height: (2 * pad + rowHeight * Double(series.count) - style.px(3)).rounded())
        canvas.fill(box, .white, alpha: 0.8)
        canvas.frame(PixelRect(x: box.x + 1, y: box.y + 1, width: box.width - 2, height: box.height - 2),
                     RGBColor(hex: 0xcccccc), lineWidth: 1)
        for (i, s) in series.enumerated() {
            let centerY = box.y + pad + rowHeight * Double(i) + painter.labelHeight / 2
            canvas.strokePolyline([(box.x + pad, centerY), (box.x + pad + lineLength, centerY)], s.color,
                                  lineWidth: lineWidth, clip: box)
            canvas.draw(painter.text(s.name), at: box.x + pad + lineLength + gap, centerY, style.textColor,
                        horizontal: .left, vertical: .center)
        }
    }
}
