import Foundation
import UNetKit
import SegmentationModels
import Notebook

/// The labs' exercises — the course lab's four and the advanced lab's five — as one value, so
/// the labs, the command-line tool and the graders can run either the student's answers (module
/// `Labs`) or the reference answers (module `Solutions`). Both modules define the same
/// functions and types and export `public let exercises: ExerciseSet`.
public struct ExerciseSet: Sendable {
    /// "Labs" or "Solutions".
    public var name: String
    /// Question 3: `JaccardCoeff` = (∩ + ε)/(Σa + Σb − ∩ + ε), ε = 1e-4, over all elements.
    public var jaccardCoeff: @Sendable (_ input: Tensor, _ target: Tensor) throws -> Float
    /// `up_add`: an up block that adds the skip connection. (inChannels, outChannels).
    public var makeUpAdd: @Sendable (_ inChannels: Int, _ outChannels: Int) -> any UpBlock
    /// Question 6: `UNet_shallow`, two down-samplings. (nChannels, nClasses, base).
    public var makeUNetShallow: @Sendable (_ nChannels: Int, _ nClasses: Int, _ base: Int) -> Module
    /// Question 7: `deconv2d` = fill_zeros → conv2d → crop one pixel each side.
    /// input `[in, h, w]`, weights `[out, in, 3, 3]` → `[out, 2h − 1, 2w − 1]`.
    public var deconv2d: @Sendable (_ input: Tensor, _ weights: Tensor) throws -> Tensor

    // The advanced lab's exercises.

    /// `focalLoss`: torchvision's `sigmoid_focal_loss(logits, target, alpha, gamma, reduction="mean")`,
    /// BCE-with-logits · (1 − p_t)^γ · α_t, α on the positives (α = −1: no weighting).
    /// logits and target of one shape (target in [0, 1]) → a scalar `[]`, finite for logits of ±100.
    public var focalLoss: @Sendable (_ logits: Variable, _ target: Tensor, _ alpha: Float, _ gamma: Float) throws -> Variable
    /// DropBlock's seed probability γ = p/bs² · H·W/((H − bs + 1)(W − bs + 1)) for drop probability p.
    public var dropBlockGamma: @Sendable (_ p: Double, _ blockSize: Int, _ height: Int, _ width: Int) -> Double
    /// `dropBlock` with a given seed mask (torchvision's `drop_block2d` after its Bernoulli draw):
    /// input `[N, C, H, W]`, seedMask `[N, C, H − bs + 1, W − bs + 1]` of 0/1 (1 starts a bs×bs
    /// block), bs odd → x · keep · numel/(1e-6 + Σ keep), differentiable in x.
    public var dropBlock: @Sendable (_ input: Variable, _ seedMask: Tensor, _ blockSize: Int) throws -> Variable
    /// `SpatialAttention` (SA-UNet): x · sigmoid(conv_k×k([mean_c(x), max_c(x)])), padding k/2, no
    /// bias; its one parameter is `conv.weight` `[1, 2, k, k]`. (kernelSize) → the module.
    public var makeSpatialAttention: @Sendable (_ kernelSize: Int) -> Module
    /// `slidingWindowPredict`: windows of patch × patch every patch·(1 − overlap) pixels, the last
    /// one moved to end at the border, images smaller than a patch padded, overlapping
    /// predictions averaged with constant weights, cropped back. images `[B, C, H, W]`, model
    /// `[n, C, patch, patch]` → `[n, K, patch, patch]` → `[B, K, H, W]`.
    public var slidingWindowPredict: @Sendable (_ images: Tensor, _ patchSize: Int, _ overlap: Double,
                                                _ model: (Tensor) throws -> Tensor) throws -> Tensor
    /// `rocAUC`: scikit-learn's `roc_auc_score` (tied scores form one threshold, trapezoids);
    /// throws when only one class is present.
    public var rocAUC: @Sendable (_ scores: [Float], _ labels: [Bool]) throws -> Double

    /// An exercise left out throws `ExerciseNotImplemented` naming it (its module's forward
    /// throws; a left-out `dropBlockGamma` returns NaN): for sets made by tests and tools that need
    /// only some exercises.
    public init(name: String,
                jaccardCoeff: @escaping @Sendable (Tensor, Tensor) throws -> Float,
                makeUpAdd: @escaping @Sendable (Int, Int) -> any UpBlock,
                makeUNetShallow: @escaping @Sendable (Int, Int, Int) -> Module,
                deconv2d: @escaping @Sendable (Tensor, Tensor) throws -> Tensor,
                focalLoss: (@Sendable (Variable, Tensor, Float, Float) throws -> Variable)? = nil,
                dropBlockGamma: (@Sendable (Double, Int, Int, Int) -> Double)? = nil,
                dropBlock: (@Sendable (Variable, Tensor, Int) throws -> Variable)? = nil,
                makeSpatialAttention: (@Sendable (Int) -> Module)? = nil,
                slidingWindowPredict: (@Sendable (Tensor, Int, Double, (Tensor) throws -> Tensor) throws -> Tensor)? = nil,
                rocAUC: (@Sendable ([Float], [Bool]) throws -> Double)? = nil) {
        self.name = name
        self.jaccardCoeff = jaccardCoeff
        self.makeUpAdd = makeUpAdd
        self.makeUNetShallow = makeUNetShallow
        self.deconv2d = deconv2d
        let missing: @Sendable (String) -> ExerciseNotImplemented = { function in ExerciseNotImplemented(exercise: "advanced: \(function)",
                                                                      file: "(not in \(name))", function: function) }
        self.focalLoss = focalLoss ?? { _, _, _, _ in throw missing("focalLoss") }
        self.dropBlockGamma = dropBlockGamma ?? { _, _, _, _ in .nan }
        self.dropBlock = dropBlock ?? { _, _, _ in throw missing("dropBlock") }
        self.makeSpatialAttention = makeSpatialAttention ?? { _ in MissingModule(missing("SpatialAttention")) }
        self.slidingWindowPredict = slidingWindowPredict ?? { _, _, _, _ in throw missing("slidingWindowPredict") }
        self.rocAUC = rocAUC ?? { _, _ in throw missing("rocAUC") }
    }
}

/// A module whose forward throws the error it was given: what a set without an exercise's module builds.
final class MissingModule: Module {
    let error: ExerciseNotImplemented
    init(_ error: ExerciseNotImplemented) { self.error = error }
    override func forward(_ input: Variable) throws -> Variable { throw error }
}

extension ExerciseSet {
    /// `UNet_add`: the course's UNet with this set's `up_add` blocks. (nChannels, nClasses, base).
    public func makeUNetAdd(_ nChannels: Int, _ nClasses: Int, _ base: Int) -> Module {
        UNet.withAddedSkips(nChannels: nChannels, nClasses: nClasses, base: base, upAdd: makeUpAdd)
    }
}

/// What an exercise stub throws until the student writes it: names the exercise, the file and
/// the function, so the lab can say exactly what to do and skip only what depends on it.
public struct ExerciseNotImplemented: ExerciseStub, Sendable, CustomStringConvertible, LocalizedError {
    public var exercise: String
    public var file: String
    public var function: String
    public init(exercise: String, file: String, function: String) {
        self.exercise = exercise; self.file = file; self.function = function
    }
    public var description: String { "not implemented: \(exercise) — write \(function) in \(file)" }
    public var errorDescription: String? { description }
}
