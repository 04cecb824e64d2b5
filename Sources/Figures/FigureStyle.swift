/// Sizes of figure elements, in points, converted with `dpi` (matplotlib's defaults at 100 dpi:
/// a 10 pt font is 13.9 px tall, a 12 pt title 16.7 px).
struct FigureStyle {
    var dpi: Double = 100
    var fontSize: Double = 10
    var titleSize: Double = 12
    var axisLineWidth: Double = 0.8
    var tickLength: Double = 3.5
    var tickPad: Double = 3.5
    var titlePad: Double = 6
    var labelPad: Double = 4
    var lineWidth: Double = 1.5
    var textColor = RGBColor.black
    var axisColor = RGBColor.black

    /// Points → pixels.
    func px(_ points: Double) -> Double { points * dpi / 72 }
    var fontPixels: Float { Float(px(fontSize)) }
    var titlePixels: Float { Float(px(titleSize)) }
    /// Spines and ticks snap to whole pixels (at least 1) so they stay crisp.
    var spinePixels: Double { max(1, px(axisLineWidth).rounded()) }
}
