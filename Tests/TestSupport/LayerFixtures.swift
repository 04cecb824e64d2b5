import Foundation
import UNetKit

/// The tensors made by `Fixtures/make_layer_fixtures.py` (dilated and transposed convolutions,
/// dropout, DropBlock, attention blocks), loaded once.
public enum LayerFixtures {
    nonisolated(unsafe) private static var cache: SafeTensors.File?

    /// The fixture tensor `name`; fails with a hint to re-run the script when it is missing.
    public static func tensor(_ name: String) throws -> Tensor {
        if cache == nil { cache = try SafeTensors.read(fixturesDirectory.appendingPathComponent("layers.safetensors")) }
        guard let t = cache![name] else {
            throw ShapeError("fixture \(name) is missing from layers.safetensors — run "
                             + "`python3 Fixtures/make_layer_fixtures.py`")
        }
        return t
    }
}
