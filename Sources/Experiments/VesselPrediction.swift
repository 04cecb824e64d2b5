import Foundation
import UNetKit
import SyntheticData
import Figures

/// Prediction and evaluation of a vessel network on images it has not seen.
public enum VesselPrediction {
    /// Images `[N, C, H, W]` to predict on, with labels and FOV `[N, 1, H, W]` when known.
    public struct Input {
        public var images: Tensor
        public var labels: Tensor?
        public var fov: Tensor?
    }

    /// `count` synthetic `size`×`size` vessel images from `seed`, preprocessed as the network's
    /// training images were (`colour` as in its metadata).
    public static func synthetic(for model: VesselNetwork, count: Int, size: Int, seed: UInt64) throws -> Input {
        guard count >= 1, (64...4096).contains(size),
              count.multipliedReportingOverflow(by: size * size).partialValue <= maximumPredictionPixels,
              count <= maximumPredictionPixels else {
            throw ConfigurationError("\(count) synthetic vessel images of \(size)×\(size): expected sizes in 64…4096 and "
                                     + "--count × size² ≤ \(maximumPredictionPixels) (e.g. 1024 images of 128×128)")
        }
        let colour = model.fileMetadata["colour"] == "true" || (model.preprocessing == .none && model.inChannels == 3)
        let (images, labels, fov) = try VesselDataSet.draw(count: count, size: size, colour: colour, seed: seed,
                                                           preprocessing: model.preprocessing)
        return Input(images: try images.nhwcToNCHW(), labels: try VesselDataSet.vesselChannel(try labels.nhwcToNCHW()),
                     fov: try fov.nhwcToNCHW())
    }

    /// One PNG (grey or RGB, any size), preprocessed as the network's training images were,
    /// with an optional FOV PNG of the same size (≥ 128 is inside).
    /// - Throws: `ConfigurationError` when the FOV's size differs or the channels do not fit the network.
    public static func png(for model: VesselNetwork, image path: String, fov fovPath: String?) throws -> Input {
        let picture = try RGBImage.readPNG(from: path)
        let (w, h) = (picture.width, picture.height)
        let pixels = picture.pixels
        var isGrey = true
        for i in stride(from: 0, to: pixels.count, by: 3) where pixels[i] != pixels[i + 1] || pixels[i] != pixels[i + 2] {
            isGrey = false
            break
        }
        let channels = isGrey ? 1 : 3
        // A grey PNG for a colour network is repeated into R, G and B.
        let greyToColour = isGrey && model.inChannels == 3 && model.preprocessing == .none
        let unit: [Float] = pixels.map { Float($0) / 255 }
        let nhwc: [Float] = isGrey && !greyToColour ? stride(from: 0, to: unit.count, by: 3).map { unit[$0] } : unit
        let raw = try Tensor(shape: [1, h, w, greyToColour ? 3 : channels], scalars: nhwc)
        let images = try model.preprocessing.apply(raw)
        guard images.shape[3] == model.inChannels else {
            throw ConfigurationError("\(path) is \(isGrey ? "grey" : "colour") (\(images.shape[3]) channel(s) after --preprocess "
                                     + "\(model.preprocessing.rawValue)), but \(model.entry.displayName) expects \(model.inChannels)")
        }
        var fov: Tensor?
        if let fovPath {
            let mask = try RGBImage.readPNG(from: fovPath)
            guard mask.width == w, mask.height == h else {
                throw ConfigurationError("--fov \(fovPath) is \(mask.width)×\(mask.height) px, but --image \(path) is "
                                         + "\(w)×\(h) px: they must be the same size")
            }
            let m = mask.pixels
            var inside = [Float](repeating: 0, count: w * h)
            for p in 0..<(w * h) where Int(m[3 * p]) + Int(m[3 * p + 1]) + Int(m[3 * p + 2]) >= 3 * 128 { inside[p] = 1 }
            fov = try Tensor(shape: [1, 1, h, w], scalars: inside)
        }
        return Input(images: try images.nhwcToNCHW(), labels: nil, fov: fov)
    }

    /// Foreground probabilities `[N, 1, H, W]` by sliding window; outside the FOV (if given) set to 0.
    public static func predict(_ model: VesselNetwork, _ input: Input, window: SlidingWindow) throws -> Tensor {
        var p = try model.foreground(input.images, window: window)
        if let fov = input.fov {
            p = try Tensor(shape: p.shape, scalars: zip(p.scalars, fov.scalars).map { $1 == 1 ? $0 : 0 })
        }
        return p
    }

    /// Writes `prediction_<i>.png` (input, ground truth if known, probability map, binary mask
    /// at 0.5) per image and `prediction.safetensors` (`probabilities`, the network's `input`
    /// after preprocessing, and `labels`, `fov` when known — the files `evaluate
    /// --probabilities/--labels/--fov` reads).
    /// - Returns: the file names written.
    public static func write(_ input: Input, probabilities: Tensor, metadata: [String: String], into directory: URL) throws -> [String] {
        var names: [String] = []
        let (n, h, w) = (probabilities.shape[0], probabilities.shape[2], probabilities.shape[3])
        var saved: [(name: String, entry: SafeTensors.Entry)] = [("probabilities", .init(probabilities)),
                                                                 ("input", .init(input.images))]
        if let labels = input.labels { saved.append(("labels", .init(labels))) }
        if let fov = input.fov { saved.append(("fov", .init(fov))) }
        try SafeTensors.write(saved, metadata: metadata, to: directory.appendingPathComponent("prediction.safetensors"))
        for i in 0..<n {
            let p = Array(probabilities.scalars[(i * h * w)..<((i + 1) * h * w)])
            let c = input.images.shape[1]
            let image = Array(input.images.scalars[(i * c * h * w)..<((i * c + 1) * h * w)])
            let truth = input.labels.map { Array($0.scalars[(i * h * w)..<((i + 1) * h * w)]) }
            let name = "prediction_\(i).png"
            try SegmentationFigures.predictionFigure(input: image, groundTruth: truth, probability: p,
                                                     prediction: p.map { $0 >= 0.5 ? 1 : 0 }, width: w, height: h)
                .write(to: directory.appendingPathComponent(name).path)
            names.append(name)
        }
        return ["prediction.safetensors"] + names
    }
}
