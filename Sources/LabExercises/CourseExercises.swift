import Foundation
import UNetKit
import SegmentationModels
import Notebook

/// The course lab's four exercises, as one value, so the lab, the command-line tool and the graders can
/// run either the student's answers (module `Labs`) or the reference answers (module
/// `Solutions`). Both modules define the same functions and types and export
/// `public let exercises: ExerciseSet`.
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

    public init(name: String,
                jaccardCoeff: @escaping @Sendable (Tensor, Tensor) throws -> Float,
                makeUpAdd: @escaping @Sendable (Int, Int) -> any UpBlock,
                makeUNetShallow: @escaping @Sendable (Int, Int, Int) -> Module,
                deconv2d: @escaping @Sendable (Tensor, Tensor) throws -> Tensor) {
        self.name = name
        self.jaccardCoeff = jaccardCoeff
        self.makeUpAdd = makeUpAdd
        self.makeUNetShallow = makeUNetShallow
        self.deconv2d = deconv2d
    }
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
