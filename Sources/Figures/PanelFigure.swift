/// Image panels in a grid of `rows × columns`, like `plt.subplots(rows, columns, sharey=True)`
/// followed by `imshow` and `colorbar` in each, laid out tightly so nothing overlaps.
///
///     let figure = try PanelFigure(rows: 1, columns: 3, panels: [a, b, c], width: 1200, height: 400)
///     try figure.write(to: "sample_0.png")
public struct PanelFigure: Figure {
    public let rows: Int, columns: Int
    /// Panels in reading order (row by row).
    public let panels: [ImagePanel]
    /// Figure size in pixels.
    public let width: Int, height: Int
    /// `sharey=True`: y tick labels only in the first column.
    public var sharesY: Bool

    /// - Throws: `FigureError` when the panel count is not `rows × columns` or a size is too small.
    public init(rows: Int, columns: Int, panels: [ImagePanel], width: Int, height: Int, sharesY: Bool = true) throws {
        guard rows >= 1, columns >= 1 else {
            throw FigureError("a panel figure needs at least 1 row and 1 column, but got \(rows)×\(columns)")
        }
        guard panels.count == rows * columns else {
            throw FigureError("a \(rows)×\(columns) figure needs \(rows * columns) panels, but got \(panels.count)")
        }
        guard width >= 100 * columns, height >= 100 * rows else {
            throw FigureError("a \(rows)×\(columns) figure needs at least \(100 * columns)×\(100 * rows) pixels, "
                              + "but got \(width)×\(height)")
        }
        self.rows = rows
        self.columns = columns
        self.panels = panels
        self.width = width
        self.height = height
        self.sharesY = sharesY
    }

    static func colorBarPad(_ painter: AxesPainter) -> Double { painter.style.px(8) }

    public func render() throws -> RGBImage {
        let style = FigureStyle()
        let painter = AxesPainter(style: style, font: try Font.shared())
        var canvas = Canvas(width: width, height: height)
        let outer = style.px(6)
        let gap = style.px(14)
        let spine = style.spinePixels

        // Space around each axes, the same for all panels so the images line up.
        let yTickSpace = panels.map { p in
            painter.maxWidth(p.axisTicks(count: p.height).labels)
        }.max()! + painter.tickLength + painter.tickPad + spine
        let leftSpace = sharesY ? style.px(2) + spine + painter.tickLength : yTickSpace
        let firstLeft = yTickSpace
        let anyBar = panels.contains { $0.hasColorBar }
        let top = painter.titleSpace
        let bottom = painter.bottomTickSpace
        let axesHeight = (Double(height) - 2 * outer - Double(rows) * (top + bottom) - Double(rows - 1) * gap)
            / Double(rows)
        let barWidth = max(8, min(20, (axesHeight / 20).rounded()))
        let barLabels = panels.filter(\.hasColorBar).map { painter.maxWidth($0.colorBarTicks().labels) }.max() ?? 0
        let barSpace = anyBar ? PanelFigure.colorBarPad(painter) + barWidth + spine + painter.tickLength
            + painter.tickPad + barLabels : spine
        let axesWidth = (Double(width) - 2 * outer - firstLeft - Double(columns - 1) * leftSpace
                         - Double(columns) * barSpace - Double(columns - 1) * gap) / Double(columns)
        guard axesWidth >= 20, axesHeight >= 20 else {
            throw FigureError("a \(rows)×\(columns) figure of \(width)×\(height) pixels leaves only "
                              + "\(Int(axesWidth))×\(Int(axesHeight)) pixels per image: make it larger")
        }
        for (i, panel) in panels.enumerated() {
            let row = i / columns, column = i % columns
            let x = outer + firstLeft + Double(column) * (axesWidth + barSpace + gap + leftSpace)
            let y = outer + top + Double(row) * (axesHeight + top + bottom + gap)
            let axes = PixelRect(x: x.rounded(), y: y.rounded(), width: axesWidth.rounded(), height: axesHeight.rounded())
            panel.draw(on: &canvas, axes: axes, painter: painter, yLabels: !sharesY || column == 0, barWidth: barWidth)
        }
        return try canvas.image()
    }
}
