import Foundation
import UNetKit
import Figures

/// Reads the arrays `unetlab evaluate --probabilities P --labels L [--fov F]` scores, so that
/// any model's output (PyTorch's too) is scored the same way.
///
/// - safetensors (`.safetensors`): the tensor named `name` (`probabilities`, `labels`, `fov`),
///   or the file's only tensor; any shape. A `[N, 2, H, W]` tensor is reduced to its channel 1
///   (the course's one-hot layout: background, vessel).
/// - PNG (any other extension): grey or colour (colour is averaged), values / 255. Labels and
///   FOV are thresholded at 0.5 (≥ 128 → 1), so 0/255 masks work; probabilities are kept as
///   they are. The result is `[1, 1, H, W]`.
public enum EvaluationInputs {
    public static func read(_ path: String, name: String, binary: Bool) throws -> Tensor {
        var tensor: Tensor
        if path.hasSuffix(".safetensors") {
            let file = try SafeTensors.read(URL(fileURLWithPath: path))
            if let named = file[name] {
                tensor = named
            } else if file.names.count == 1, let only = file[file.names[0]] {
                tensor = only
            } else {
                throw ConfigurationError("\(path): expected a tensor named '\(name)' or a single tensor, but found "
                                         + "\(file.names.joined(separator: ", "))")
            }
            if tensor.rank == 4 && tensor.shape[1] == 2 { tensor = try oneChannel(tensor, 1) }
        } else {
            let image = try RGBImage.readPNG(from: path)
            let values = (0..<(image.width * image.height)).map { i -> Float in
                Float(Int(image.pixels[3 * i]) + Int(image.pixels[3 * i + 1]) + Int(image.pixels[3 * i + 2])) / (3 * 255)
            }
            tensor = try Tensor(shape: [1, 1, image.height, image.width], scalars: binary ? values.map { $0 >= 0.5 ? 1 : 0 } : values)
        }
        return tensor
    }

    /// Scores probabilities against labels (and FOV) read from files.
    /// - Throws: `ConfigurationError` naming both shapes when they differ.
    public static func scores(probabilities: String, labels: String, fov: String?) throws -> SegmentationScores {
        let p = try read(probabilities, name: "probabilities", binary: false)
        let l = try read(labels, name: "labels", binary: true)
        let f = try fov.map { try read($0, name: "fov", binary: true) }
        guard l.shape == p.shape else {
            throw ConfigurationError("--labels \(labels) has shape \(shapeString(l.shape)), but --probabilities \(probabilities) "
                                     + "has \(shapeString(p.shape)): they must match")
        }
        if let f, f.shape != p.shape {
            throw ConfigurationError("--fov \(fov!) has shape \(shapeString(f.shape)), but --probabilities \(probabilities) "
                                     + "has \(shapeString(p.shape)): they must match")
        }
        if let bad = p.scalars.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw ConfigurationError("--probabilities \(probabilities): expected values in [0, 1], but found \(bad) "
                                     + "(apply the sigmoid or softmax first)")
        }
        return try SegmentationScores(probabilities: p, labels: l, fov: f)
    }

    static func oneChannel(_ x: Tensor, _ c: Int) throws -> Tensor {
        let (n, k, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var out = [Float](repeating: 0, count: n * h * w)
        for i in 0..<n { for p in 0..<(h * w) { out[i * h * w + p] = x.scalars[(i * k + c) * h * w + p] } }
        return try Tensor(shape: [n, 1, h, w], scalars: out)
    }
}
