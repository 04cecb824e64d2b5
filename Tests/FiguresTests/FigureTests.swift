import Foundation
import XCTest
@testable import Figures
import Experiments

/// Whole figures: sizes, that text and colour bars are drawn, input errors.
/// Set FIGURES_PREVIEW_DIR to keep the PNGs for looking at them.
final class FigureTests: XCTestCase {
    let side = 64

    /// A disc of 1s on 0s with a gentle ramp, `side × side`.
    func disc() -> [Float] {
        (0..<(side * side)).map { p in
            let x = Float(p % side) - 32, y = Float(p / side) - 28
            return x * x + y * y < 300 ? 1 : Float(p % side) / Float(side) * 0.3
        }
    }

    func keep(_ figure: some Figure, _ name: String) throws -> RGBImage {
        let image = try figure.render()
        if let dir = ProcessInfo.processInfo.environment["FIGURES_PREVIEW_DIR"] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try image.writePNG(to: dir + "/" + name)
        }
        return image
    }

    func count(_ image: RGBImage, where predicate: (UInt8, UInt8, UInt8) -> Bool) -> Int {
        var n = 0
        for y in 0..<image.height { for x in 0..<image.width where predicate(image[x, y].0, image[x, y].1, image[x, y].2) { n += 1 } }
        return n
    }

    func testDataFigureIsTheCoursesSizeAndShowsViridisAndText() throws {
        let image = disc()
        let truth = image.map { $0 == 1 ? Float(1) : 0 }
        let figure = try SegmentationFigures.dataFigure(image: image, groundTruth: truth, width: side, height: side)
        let png = try keep(figure, "data_figure.png")
        XCTAssertEqual([png.width, png.height], [1200, 400], "figsize=(12, 4) at 100 dpi")
        // viridis' yellow end (#fde725) fills the disc in panels 2 and 3 and the colour bars' tops
        XCTAssertGreaterThan(count(png) { $0 == 0xfd && $1 == 0xe7 && $2 == 0x25 }, 2000)
        // anti-aliased text: grey levels that are neither white nor black nor a colour map entry
        let greyText = count(png) { r, g, b in r == g && g == b && r > 40 && r < 215 }
        XCTAssertGreaterThan(greyText, 300, "titles and tick labels are drawn with smooth edges")
    }

    func testPredictionFigureIsTwoByTwoWithHotMap() throws {
        let image = disc()
        let probability = image.map { min(1, $0 * 0.9 + 0.05) }
        let prediction = probability.map { $0 > 0.5 ? Float(1) : 0 }
        let figure = try SegmentationFigures.predictionFigure(input: image, groundTruth: prediction, probability: probability,
                                                     prediction: prediction, width: side, height: side)
        let png = try keep(figure, "prediction_figure.png")
        XCTAssertEqual([png.width, png.height], [1000, 800])
        // the hot map's first segment (pure reds: black → red) fills the probability background
        XCTAssertGreaterThan(count(png) { $0 > 0x0a && $1 == 0 && $2 == 0 }, 20_000)
        // and its pale yellow (probability 0.95) fills the disc
        let disc = ColorMap.hot.color(at: 0.95).bytes
        XCTAssertGreaterThan(count(png) { $0 == disc.0 && $1 == disc.1 && $2 == disc.2 }, 10_000)
    }

    func testLossCurvesWithLegend() throws {
        func run(_ scale: Float, _ seed: Int) -> [Float] {
            (0..<250).map { i in
                let t = Float(i)
                var h = UInt64(i * 31 + seed) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
                h = h &* 0xBF58_476D_1CE4_E5B9
                let noise = Float((h >> 40) % 1000) / 1000 - 0.5
                return 0.1 + 0.55 * exp(-t / (40 * scale)) + 0.05 * noise
            }
        }
        let plot = try SegmentationFigures.lossCurveFigure([LossCurve(name: "UNet", losses: run(1, 1)),
                                                   LossCurve(name: "UNet_shallow", losses: run(1.5, 2)),
                                                   LossCurve(name: "UNet_add", losses: run(1.2, 3))])
        let png = try keep(plot, "loss_curves.png")
        XCTAssertEqual([png.width, png.height], [800, 500])
        // each run's solid colour (tab10 blue, orange, green) is drawn
        for (r, g, b) in [(0x1f, 0x77, 0xb4), (0xff, 0x7f, 0x0e), (0x2c, 0xa0, 0x2c)] as [(UInt8, UInt8, UInt8)] {
            XCTAssertGreaterThan(count(png) { $0 == r && $1 == g && $2 == b }, 50, "colour \(r),\(g),\(b)")
        }
        let single = try LinePlot(title: "one", xLabel: "x", yLabel: "y",
                                  series: [try LineSeries(name: "only", values: [3, 1, 2])])
        _ = try keep(single, "line_single.png")
    }

    func testBadFigureInputsAreExplained() throws {
        XCTAssertThrowsError(try ImagePanel(title: "t", values: [1, 2, 3], width: 2, height: 2)) { error in
            XCTAssertTrue("\(error)".contains("needs 4 values, but got 3"), "\(error)")
        }
        XCTAssertThrowsError(try SegmentationFigures.dataFigure(image: [Float](repeating: 0, count: 16),
                                                       groundTruth: [Float](repeating: 0, count: 15), width: 4, height: 4)) { error in
            XCTAssertTrue("\(error)".contains("Ground Truth") && "\(error)".contains("got 15"), "\(error)")
        }
        let panel = try ImagePanel(title: "t", values: [0, 1, 1, 0], width: 2, height: 2)
        XCTAssertThrowsError(try PanelFigure(rows: 1, columns: 2, panels: [panel], width: 800, height: 400)) { error in
            XCTAssertTrue("\(error)".contains("needs 2 panels, but got 1"), "\(error)")
        }
        XCTAssertThrowsError(try LineSeries(name: "nan", values: [.nan, .infinity])) { error in
            XCTAssertTrue("\(error)".contains("none finite"), "\(error)")
        }
        XCTAssertThrowsError(try LineSeries(name: "s", values: [1, 2], smoothing: 1)) { error in
            XCTAssertTrue("\(error)".contains("smoothing must be in [0, 1), but got 1"), "\(error)")
        }
        XCTAssertThrowsError(try SegmentationFigures.lossCurveFigure([])) { error in
            XCTAssertTrue("\(error)".contains("at least one run"), "\(error)")
        }
    }
}
