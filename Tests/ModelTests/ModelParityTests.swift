import XCTest
import TestSupport
import UNetKit
import SegmentationModels
import LabExercises
import Solutions
@testable import Experiments

/// The three networks against the course's PyTorch networks (`Fixtures/course_unet.py`).
///
/// - Full widths (base 64), formula weights, one 64×64 image: evaluation-mode logits within the
///   network tolerance; training-mode logits against PyTorch's float64 result, within 1e-5 plus
///   20 times the error of the same network with every op's output rounded to float32
///   (training-mode BatchNorm at 4×4 amplifies rounding; a real float32 implementation also
///   rounds inside its sums: PyTorch's own float32 measured 3.7–14 times that error, ours 5–11).
/// - Small widths (base 4), two images 64×64, two training steps: step 1's logits, loss and
///   every gradient; step 2's logits and loss (after our update); then SGD with momentum fed
///   PyTorch's step-2 gradients must give PyTorch's final parameters and running statistics.
///   Step 2's own gradients are not compared: after an update, a BatchNorm output within
///   ~1e-5 of zero can fall on the other side of its ReLU under a different summation order,
///   and that one element reroutes the gradient of every layer below it — a property of
///   float32, not of either implementation (the naive backend happens to agree, BLAS not).
final class ModelParityTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try ModelFixtures.tensor(name) }

    func testFullWidthForwardMatchesPyTorch() throws {
        for kind in ModelKind.allCases {
            let name = kind.rawValue
            let model = kind.make(exercises: exercises)
            XCTAssertEqual(Float(model.parameterCount), try f("\(name).full.param_count").scalars[0], name)
            try model.loadStateDict(formulaStateDict(model))
            let x = Variable(try f("\(name).full.x"))
            let train = try withoutGradients { try model(x) }
            let roundingError = try f("\(name).full.logits_train_f32_rounding_error").scalars[0]
            let reference = try f("\(name).full.logits_train")
            assertClose(train.value, reference, Tolerance(absolute: 1e-5 + 20 * roundingError, relative: 0),
                        "\(name) logits (train mode, vs float64; float32 rounding error \(roundingError))")
            try model.loadStateDict(formulaStateDict(model))   // undo the running-stat update
            model.eval()
            let eval = try withoutGradients { try model(x) }
            assertClose(eval.value, try f("\(name).full.logits_eval"), .network, "\(name) logits (eval mode)")
        }
    }

    func testTwoTrainingStepsAtSmallWidthMatchPyTorch() throws {
        for kind in ModelKind.allCases {
            let name = kind.rawValue
            let model = kind.make(base: 4, exercises: exercises)
            try model.loadStateDict(try ModelFixtures.stateDict("\(name).small.init."))
            let sgd = SGD(model.parameters(), lr: 0.1, momentum: 0.9, weightDecay: 0.0005)
            let (x, t) = (try f("\(name).small.x"), try f("\(name).small.t"))
            for step in 1...2 {
                let logits = try model(Variable(x))
                assertClose(logits.value, try f("\(name).small.step\(step).logits"), .network, "\(name) step \(step) logits")
                let loss = try binaryCrossEntropy(try logits.sigmoid().flattened(), t.flattened())
                assertClose(loss.value, try f("\(name).small.step\(step).loss"), .network, "\(name) step \(step) loss")
                sgd.zeroGrad()
                try loss.backward()
                for (key, p) in model.namedParameters() {
                    let expected = try f("\(name).small.step\(step).grad.\(key)")
                    if step == 1 {
                        assertClose(p.grad!, expected, .network, "\(name) step 1 grad \(key)")
                    } else {
                        p.grad = expected   // see the type's comment
                    }
                }
                sgd.step()
            }
            let final = try ModelFixtures.stateDict("\(name).small.final.")
            for (key, tensor) in model.stateDict() {
                guard let expected = final[key] else { XCTFail("\(name): PyTorch has no \(key)"); continue }
                assertClose(tensor, expected, .network, "\(name) after two steps: \(key)")
            }
            XCTAssertEqual(Set(final.keys), Set(model.stateDict().map(\.name)), "\(name) state_dict keys")
        }
    }
}
