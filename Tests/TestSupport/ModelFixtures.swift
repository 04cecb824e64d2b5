import Foundation
import UNetKit

/// The tensors made by `Fixtures/make_model_fixtures.py` (`models.safetensors`).
public enum ModelFixtures {
    public static func tensor(_ name: String) throws -> Tensor { try testFixtures.tensor(name, in: "models") }

    /// Every tensor whose name starts with `prefix`, with the prefix removed.
    public static func stateDict(_ prefix: String) throws -> [String: Tensor] {
        try testFixtures.stateDict(prefix, in: "models")
    }
}
