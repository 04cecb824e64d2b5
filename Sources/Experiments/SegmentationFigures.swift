import Figures

/// Segmentation figures in the course's layouts, ready to write:
///
///     try SegmentationFigures.dataFigure(image: x, groundTruth: y, width: 128, height: 128)
///         .write(to: "sample_0.png")
///     try SegmentationFigures.predictionFigure(input: x, groundTruth: y, probability: p, prediction: b,
///                                     width: 128, height: 128).write(to: "prediction_0.png")
///     try SegmentationFigures.lossCurveFigure([LossCurve(name: "UNet", losses: losses)])
///         .write(to: "loss.png")
///
/// All arrays are one image, `height × width`, row-major (the course's `x[0, ..., 0]`).
public enum SegmentationFigures {
    /// The 1×3 data figure of the course's first cell (1200×400 px, its `figsize=(12, 4)`):
    /// "Original data" in grey, "Original data show in color" (viridis, matplotlib's default),
    /// "Ground Truth". Each panel has a colour bar.
    /// - Parameters:
    ///   - image: `height × width` grey values; or `height × width × 3` RGB values when
    ///     `imageChannels` is 3 (the first panel then shows the colours, the second channel 0).
    ///   - groundTruth: `height × width` label values: the course's `y[0, ..., 1]` (0 or 1), or
    ///     a class-index map 0, 1, 2 for the `rectangles` option.
    /// - Throws: `FigureError` when an array does not have `height × width (× channels)` values.
    public static func dataFigure(image: [Float], groundTruth: [Float], width: Int, height: Int,
                                  imageChannels: Int = 1) throws -> PanelFigure {
        let grey: ImagePanel, colour: ImagePanel
        switch imageChannels {
        case 1:
            grey = try ImagePanel(title: "Original data", values: image, width: width, height: height, colorMap: .gray)
            colour = try ImagePanel(title: "Original data show in color", values: image, width: width,
                                    height: height, colorMap: .viridis)
        case 3:
            grey = try ImagePanel(title: "Original data (RGB)", rgb: image, width: width, height: height)
            let red = stride(from: 0, to: image.count, by: 3).map { image[$0] }
            colour = try ImagePanel(title: "Channel 0 show in color", values: red, width: width, height: height,
                                    colorMap: .viridis)
        default:
            throw FigureError("dataFigure: expected an image with 1 or 3 channels, but got \(imageChannels)")
        }
        let classes = max(1, groundTruth.filter(\.isFinite).max() ?? 1)
        let truth = try ImagePanel(title: "Ground Truth", values: groundTruth, width: width, height: height,
                                   colorMap: .viridis, valueRange: 0...classes)
        return try PanelFigure(rows: 1, columns: 3, panels: [grey, colour, truth], width: 1200, height: 400)
    }

    /// The prediction figure: input (viridis), ground truth, probability heat map ("hot", 0…1)
    /// and binary prediction, each with a colour bar — 2×2 (1000×800 px, the course's
    /// `figsize=(10, 8)`), or 1×3 (1200×400 px) without a ground truth (a user's own image).
    /// - Parameters: all are `height × width`: the input image, the label of the foreground
    ///   class (or nil), the sigmoid output for it, and that output thresholded at 0.5.
    /// - Throws: `FigureError` when an array does not have `height × width` values.
    public static func predictionFigure(input: [Float], groundTruth: [Float]?, probability: [Float],
                                        prediction: [Float], width: Int, height: Int) throws -> PanelFigure {
        var panels = [try ImagePanel(title: "Input", values: input, width: width, height: height, colorMap: .viridis)]
        if let groundTruth {
            panels.append(try ImagePanel(title: "Ground Truth", values: groundTruth, width: width, height: height,
                                         colorMap: .viridis, valueRange: 0...1))
        }
        panels += [
            try ImagePanel(title: "Probability", values: probability, width: width, height: height,
                           colorMap: .hot, valueRange: 0...1),
            try ImagePanel(title: "Prediction (probability > 0.5)", values: prediction, width: width, height: height,
                           colorMap: .viridis, valueRange: 0...1),
        ]
        return groundTruth == nil
            ? try PanelFigure(rows: 1, columns: 3, panels: panels, width: 1200, height: 400)
            : try PanelFigure(rows: 2, columns: 2, panels: panels, width: 1000, height: 800)
    }

    /// Loss curves (question 2): each run's per-step loss drawn light with its smoothed curve
    /// (exponential moving average, `smoothing` 0.9) over it; several runs get a legend.
    /// - Throws: `FigureError` when there is no run or a run has no finite loss.
    public static func lossCurveFigure(_ runs: [LossCurve], title: String = "Training loss",
                                       yLabel: String = "BCE loss", smoothing: Float = 0.9) throws -> LinePlot {
        guard !runs.isEmpty else { throw FigureError("lossCurveFigure: expected at least one run, but got none") }
        let series = try runs.enumerated().map { i, run in
            try LineSeries(name: run.name, values: run.losses, color: RGBColor.tab10[i % RGBColor.tab10.count],
                           smoothing: smoothing)
        }
        return try LinePlot(title: title, xLabel: "step", yLabel: yLabel, series: series)
    }
}

/// One training run's loss per step, for `SegmentationFigures.lossCurveFigure`.
public struct LossCurve {
    public var name: String
    public var losses: [Float]
    public init(name: String, losses: [Float]) {
        self.name = name
        self.losses = losses
    }
}
