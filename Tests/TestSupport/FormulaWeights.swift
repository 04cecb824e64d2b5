import Foundation
import UNetKit
@_exported import Grading   // formulaStateDict(_:) lives there: the graders use it too

/// The tensors made by `Fixtures/make_model_fixtures.py`, loaded once.
public enum ModelFixtures {
    nonisolated(unsafe) private static var cache: SafeTensors.File?

    public static func tensor(_ name: String) throws -> Tensor {
        if cache == nil { cache = try SafeTensors.read(fixturesDirectory.appendingPathComponent("models.safetensors")) }
        guard let t = cache![name] else {
            throw ShapeError("fixture \(name) is missing from models.safetensors — run `make fixtures`")
        }
        return t
    }

    /// Every tensor whose name starts with `prefix`, with the prefix removed.
    public static func stateDict(_ prefix: String) throws -> [String: Tensor] {
        _ = try? tensor("")
        return Dictionary(uniqueKeysWithValues: cache!.entries.filter { $0.name.hasPrefix(prefix) }
            .map { (String($0.name.dropFirst(prefix.count)), $0.entry.tensor) })
    }
}
