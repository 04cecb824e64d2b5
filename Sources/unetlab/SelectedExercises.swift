import Foundation
import UNetKit
import Labs
#if canImport(Solutions)
import Solutions
#endif

/// Where the tool takes UNet_shallow, up_add/UNet_add and the other exercises from: the
/// reference `Solutions` when the repository has them, else the student's `Labs`.
/// `UNETLAB_EXERCISES=labs` picks the student's `Labs` even when `Solutions` is there, so
/// `UNETLAB_EXERCISES=labs unetlab train --model shallow …` trains your own UNet_shallow.
var selectedExercises: ExerciseSet {
    let choice = ProcessInfo.processInfo.environment["UNETLAB_EXERCISES"]?.lowercased()
    #if canImport(Solutions)
    if choice != "labs" { return Solutions.exercises }
    #else
    if choice == "solutions" {
        FileHandle.standardError.write(Data("note: this edition has no Solutions/; using your Labs/\n".utf8))
    }
    #endif
    return Labs.exercises
}
