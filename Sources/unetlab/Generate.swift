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
            --kind vessels draws synthetic retinal vessels instead (sides ≥ 64; --rgb for colour)
            and writes image / vessel mask / field of view panels; --kind octa draws OCTA-like
            volumes (--depth slices) and writes their mean and maximum projections beside the mask.
            """)

    /// What to draw: the course's shapes, or synthetic retinal vessels (VesselDataProvider).
    enum Kind: String, ExpressibleByArgument, CaseIterable { case shapes, vessels, octa }

    @Option(help: "What to draw: shapes (default), vessels or octa.") var kind: Kind = .shapes
    @Option(help: "OCTA: depth slices per volume.") var depth: Int = 32
    @Option(help: "Vessels: noise standard deviation on the [0, 1] scale.") var vesselSigma: Double = 0.02

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

    func validate() throws {
        try requireOption("count", count, in: 1...10_000)
        let minimum = kind == .shapes ? 16 : 64
        try requireOption("size", size, in: minimum...4096, unit: " px")
        if let width { try requireOption("width", width, in: minimum...4096, unit: " px") }
        if let height { try requireOption("height", height, in: minimum...4096, unit: " px") }
        let pixels = count * (width ?? size) * (height ?? size) * (kind == .octa ? depth : 1)
        guard pixels <= 1 << 26 else {
            throw ValidationError("--count × width × height\(kind == .octa ? " × --depth" : "") must be at most \(1 << 26) "
                                  + "(e.g. 4 images of 4096×4096), but got \(pixels): draw fewer or smaller images")
        }
        try requireOption("cnt", cnt, in: 0...1000)
        try requireOption("sigma", sigma, in: 0...1000)
        try requireOption("depth", depth, in: 4...256)
        try requireOption("vessel-sigma", vesselSigma, in: 0...1)
        try requireOutputFolder(out)
    }

    func run() throws {
        let nx = width ?? size, ny = height ?? size
        if kind == .vessels { return try runVessels(nx: nx, ny: ny) }
        if kind == .octa { return try runOCTA(nx: nx, ny: ny) }
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

    /// Vessels: prints the three shapes and writes a 1×3 figure (image, vessel mask, FOV) per sample.
    func runVessels(nx: Int, ny: Int) throws {
        let generator = try VesselDataProvider(nx: nx, ny: ny, rgb: rgb, sigma: vesselSigma, seed: seed)
        let (x, y, fov) = try generator(count)
        try createOutputDirectory(out)
        print(pythonShape(x.shape))
        print(pythonShape(y.shape))
        print(pythonShape(fov.shape))
        for i in 0..<count {
            let image = try BatchSlices.sample(i, of: x)
            let panels = [
                rgb ? try ImagePanel(title: "Image (RGB)", rgb: image, width: nx, height: ny)
                    : try ImagePanel(title: "Image", values: image, width: nx, height: ny, colorMap: .gray,
                                     valueRange: 0...1),
                try ImagePanel(title: "Vessel mask", values: try BatchSlices.channel(1, of: y, sample: i),
                               width: nx, height: ny, colorMap: .gray, valueRange: 0...1),
                try ImagePanel(title: "Field of view", values: try BatchSlices.channel(0, of: fov, sample: i),
                               width: nx, height: ny, colorMap: .gray, valueRange: 0...1),
            ]
            let path = (out as NSString).appendingPathComponent("vessels_\(i).png")
            try PanelFigure(rows: 1, columns: 3, panels: panels, width: 1200, height: 400).write(to: path)
        }
        print("seed \(generator.seed): wrote \(count) figure(s) to \(out)/vessels_0.png … vessels_\(count - 1).png")
    }

    /// OCTA: prints the volume and label shapes, writes mean / maximum projection / mask per volume.
    func runOCTA(nx: Int, ny: Int) throws {
        let generator = try OCTAVolumeProvider(nx: nx, ny: ny, depth: depth, seed: seed)
        let (volumes, labels) = try generator(count)
        let mean = try VolumeProjection.project(volumes, .mean), maximum = try VolumeProjection.project(volumes, .maximum)
        try createOutputDirectory(out)
        print(pythonShape(volumes.shape))
        print(pythonShape(labels.shape))
        for i in 0..<count {
            let panels = [
                try ImagePanel(title: "Mean projection", values: try BatchSlices.channel(0, of: mean, sample: i),
                               width: nx, height: ny, colorMap: .gray),
                try ImagePanel(title: "Maximum projection", values: try BatchSlices.channel(0, of: maximum, sample: i),
                               width: nx, height: ny, colorMap: .gray),
                try ImagePanel(title: "Vessel mask", values: try BatchSlices.channel(1, of: labels, sample: i),
                               width: nx, height: ny, colorMap: .gray, valueRange: 0...1),
            ]
            let path = (out as NSString).appendingPathComponent("octa_\(i).png")
            try PanelFigure(rows: 1, columns: 3, panels: panels, width: 1200, height: 400).write(to: path)
        }
        print("seed \(generator.seed): wrote \(count) figure(s) to \(out)/octa_0.png … octa_\(count - 1).png")
    }

    /// `(2, 128, 128, 1)`, as NumPy prints `x.shape`.
}
