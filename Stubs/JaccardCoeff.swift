import UNetKit
import SegmentationModels
import LabExercises

/// Exercise (question 3): the Jaccard index (intersection over union) of two masks of the
/// same shape, smoothed like the course's `DiceCoeff`:
///
///     J(a, b) = (Σ a·b + ε) / (Σ a + Σ b − Σ a·b + ε),   ε = 1e-4
///
/// jaccard(eye3, eye3) = 1, jaccard(eye3, ones3) = 0.3333, jaccard(zeros3, ones3) = 1.1111e-05,
/// jaccard(zeros3, zeros3) = 1.
///
/// input, target: any shape, the same for both (e.g. `[N, C, H, W]` probabilities or 0/1
/// masks). Sum over every element; accumulate in `Double`, return a `Float`.
public func jaccardCoeff(_ input: Tensor, _ target: Tensor) throws -> Float {
    guard input.shape == target.shape else {
        throw ShapeError("jaccard_coeff: expected input and target of the same shape, but got "
                         + "\(shapeString(input.shape)) and \(shapeString(target.shape))")
    }
    // write your code here
    throw ExerciseNotImplemented(exercise: "Question 3: JaccardCoeff", file: "Labs/JaccardCoeff.swift",
                                 function: "jaccardCoeff(_:_:)")
}
