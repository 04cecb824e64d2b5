import UNetKit

/// The sizes a network may have before one is built — from the command line or from a weights
/// file, which may come from anywhere. A file's metadata of "base": "100000" would otherwise ask
/// for terabytes, and "0" or "-1" would reach the layers' preconditions.
public enum NetworkLimits {
    /// Widths of the first level (`--base`, `--width`, metadata `base`/`width`): 1…512.
    public static let widths = 1...512
    /// Input channels (grey 1, RGB 3, and a few more): 1…16.
    public static let inputChannels = 1...16
    /// Output channels: 1…16 (the course's 2, the vessel runs' 1 or 2).
    public static let classes = 1...16

    /// Checks the three sizes; `source` says where they come from ("--base", "the metadata of w.safetensors").
    /// - Throws: `ConfigurationError` naming the value, the allowed range and the source.
    public static func check(inChannels: Int, classes: Int, width: Int, source: String) throws {
        for (name, value, range) in [("width (base)", width, widths), ("input channels", inChannels, inputChannels),
                                     ("classes", classes, Self.classes)] where !range.contains(value) {
            throw ConfigurationError("\(source): the network's \(name) must be in \(range.lowerBound)…\(range.upperBound), "
                                     + "but it is \(value)")
        }
    }

    /// Checks that a weights file holds at least as many numbers as a network of this width has
    /// parameters at the least: every network of the catalogue has a width→width 3×3
    /// convolution, 9·width² weights. A file whose metadata asks for a wide network but which
    /// holds a few numbers is refused before the network is built.
    public static func checkFileSize(_ file: SafeTensors.File, width: Int, path: String) throws {
        let numbers = file.entries.reduce(0) { $0 + $1.entry.tensor.count }
        guard numbers >= 9 * width * width else {
            throw ConfigurationError("\(path): the metadata asks for a network of width \(width), which has at least "
                                     + "\(9 * width * width) weights, but the file holds \(numbers) numbers")
        }
    }
}
