/// Something that renders to an RGB picture: `PanelFigure`, `LinePlot`.
public protocol Figure {
    /// Draws the figure.
    /// - Throws: `FigureError` (no font, bad sizes).
    func render() throws -> RGBImage
}

extension Figure {
    /// Renders the figure and writes it as a PNG file, completely or not at all.
    /// - Throws: `FigureError` with libpng's or the operating system's message.
    public func write(to path: String) throws {
        try render().writePNG(to: path)
    }

    /// The figure as PNG bytes.
    public func pngData() throws -> [UInt8] {
        try render().pngData()
    }
}
