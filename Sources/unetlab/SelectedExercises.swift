import ArgumentParser
import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import LabExercises
import Experiments
import Benchmarks
import CourseLab
import Labs
#if canImport(Solutions)
import Solutions
#endif

/// Where a command takes UNet_shallow, up_add/UNet_add and the other exercises from: the
/// student's `Labs/` by default, the reference `Solutions/` with `--solutions` — the same rule
/// for every command (`lab`, `train`, `predict`, `worst`, `summary`, `bench`).
struct ExerciseChoice: ParsableArguments {
    @Flag(help: "Use the reference answers (Solutions/) instead of your exercises (Labs/).")
    var solutions = false

    /// The chosen exercises; `--solutions` in the student edition (no Solutions/) is an error.
    func exercises() throws -> ExerciseSet {
        guard solutions else { return Labs.exercises }
        #if canImport(Solutions)
        return Solutions.exercises
        #else
        throw ValidationError("--solutions: this edition has no Solutions/ (the student edition ships only Labs/)")
        #endif
    }
}
