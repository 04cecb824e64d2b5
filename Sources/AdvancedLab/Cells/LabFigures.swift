import Foundation
import UNetKit
import SyntheticData
import Figures
import Notebook

/// The advanced lab's image grids: panels of `side`×`side` images, written as one PNG.
enum LabFigures {
    /// One panel: a title, `side × side` values and how to colour them.
    struct Panel {
        var title: String
        var values: [Float]
        var colorMap: ColorMap = .gray
        var range: ClosedRange<Float>? = nil
    }

    /// `panels` in rows of `columns`, about 330 px per panel.
    static func grid(_ panels: [Panel], columns: Int, side: Int, height: Int? = nil) throws -> PanelFigure {
        let rows = (panels.count + columns - 1) / columns
        var images = try panels.map {
            try ImagePanel(title: $0.title, values: $0.values, width: $0.values.count / max(1, height ?? side),
                           height: height ?? side, colorMap: $0.colorMap, valueRange: $0.range)
        }
        while images.count < rows * columns {   // fill the last row with blank panels
            images.append(try ImagePanel(title: "", values: [Float](repeating: 0, count: side * (height ?? side)),
                                         width: side, height: height ?? side, colorMap: .gray, valueRange: 0...1,
                                         showsColorBar: false))
        }
        return try PanelFigure(rows: rows, columns: columns, panels: images, width: 330 * columns, height: 300 * rows,
                               sharesY: false)
    }
}

/// Channel `k` of sample `i` of an NCHW tensor, `H × W` values.
func plane(_ x: Tensor, sample i: Int, channel k: Int = 0) -> [Float] {
    let (c, h, w) = (x.shape[1], x.shape[2], x.shape[3])
    let start = (i * c + k) * h * w
    return Array(x.scalars[start..<(start + h * w)])
}
