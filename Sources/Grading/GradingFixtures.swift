import Foundation
import UNetKit
import SegmentationModels
import LabExercises

/// The PyTorch fixtures the graders compare with, made by `Fixtures/make_exercise_fixtures.py`
/// (`exercises.safetensors`: Jaccard, deconv2d, up_add, UNet_shallow). They ship with the graders
/// as the resource folder `Sources/Grading/Fixtures/`, so the repository, the student edition
/// and a built tool find them the same way; `$UNETLAB_FIXTURES` names another folder.
public enum GradingFixtures {
    public static let folder = SafeTensorsFolder(
        directory, remedy: "run `make fixtures`, or set UNETLAB_FIXTURES to the folder that holds exercises.safetensors")

    /// `$UNETLAB_FIXTURES`, else the `Fixtures` resource folder SwiftPM builds next to the
    /// program (`UNetLabKit_Grading.resources/Fixtures`, beside `unetlab` and the test bundle).
    /// A missing folder is reported when a fixture is read, never a trap (SwiftPM's own
    /// `Bundle.module` stops the process when the bundle is missing).
    public static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["UNETLAB_FIXTURES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return Bundle.main.bundleURL.appendingPathComponent("UNetLabKit_Grading.resources")
            .appendingPathComponent("Fixtures")
    }

    /// Tensor `name` of `exercises.safetensors`.
    public static func tensor(_ name: String) throws -> Tensor {
        do { return try folder.tensor(name, in: "exercises") } catch { throw CheckFailure("\(error)") }
    }

    /// Every tensor of `exercises.safetensors` whose name starts with `prefix`, with the prefix removed.
    public static func stateDict(_ prefix: String) throws -> [String: Tensor] {
        do { return try folder.stateDict(prefix, in: "exercises") } catch { throw CheckFailure("\(error)") }
    }
}
