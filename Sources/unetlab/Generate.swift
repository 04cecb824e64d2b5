import ArgumentParser
import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import LabExercises
import Experiments
import Benchmarks
import CourseLab

/// `unetlab generate`: the course's first cell — draw shapes, print the arrays' shapes,
/// write the 1×3 data figure of every sample.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Draw synthetic shapes, print the batch shapes, write a 1×3 data figure per sample.",
        discussion: """
            Example: unetlab generate --count 2 --size 128 --seed 1 --out lab-output/data
            prints (2, 128, 128, 1) and (2, 128, 128, 2) — B×H×W×C, as the course's notebook —
            and writes sample_0.png, sample_1.png.
            """)

    @Option(help: "Number of images.") var count: Int = 2
    @Option(help: "Image side in pixels (at least 16); --width/--height override it.") var size: Int = 128
    @Option(help: "Image width (nx), if not square.") var width: Int?
    @Option(help: "Image height (ny), if not square.") var height: Int?
    @Option(help: "Circles per image (the course's cnt).") var cnt: Int = 10
    @Option(help: "Noise standard deviation in grey levels (the course's sigma).") var sigma: Double = 20
    @Option(help: "Random seed (default: a random one, printed so the run can be repeated).") var seed: UInt64?
    @Flag(help: "Also draw cnt/2 squares as a third class.") var rectangles = false
    @Flag(help: "RGB images (RgbDataProvider) instead of grey.") var rgb = false
    @Option(help: "Directory for sample_<i>.png (created if missing).") var out: String

    func run() throws {
        let nx = width ?? size, ny = height ?? size
        let (x, y): (images: Tensor, labels: Tensor)
        let usedSeed: UInt64
        if rgb {
            let generator = try RgbDataProvider(nx: nx, ny: ny, cnt: cnt, sigma: sigma, rectangles: rectangles, seed: seed)
            (x, y) = try generator(count)
            usedSeed = generator.seed
        } else {
            let generator = try GrayScaleDataProvider(nx: nx, ny: ny, cnt: cnt, sigma: sigma, rectangles: rectangles,
                                                      seed: seed)
            (x, y) = try generator(count)
            usedSeed = generator.seed
        }
        try createOutputDirectory(out)
        print(pythonShape(x.shape))
        print(pythonShape(y.shape))
        for i in 0..<count {
            let image = try BatchSlices.sample(i, of: x)
            let truth = rectangles ? try BatchSlices.classIndexMap(of: y, sample: i)
                                   : try BatchSlices.channel(1, of: y, sample: i)
            let path = (out as NSString).appendingPathComponent("sample_\(i).png")
            try SegmentationFigures.dataFigure(image: image, groundTruth: truth, width: nx, height: ny,
                                      imageChannels: rgb ? 3 : 1).write(to: path)
        }
        print("seed \(usedSeed): wrote \(count) figure(s) to \(out)/sample_0.png … sample_\(count - 1).png")
    }

    /// `(2, 128, 128, 1)`, as NumPy prints `x.shape`.
}
