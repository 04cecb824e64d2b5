import UNetKit
#if canImport(Solutions)
import Solutions
#endif

/// Where the tool takes UNet_shallow, up_add/UNet_add and the other exercises from: the
/// reference `Solutions` when the repository has them, else the student's `Labs`.
var selectedExercises: ExerciseSet {
    #if canImport(Solutions)
    return Solutions.exercises
    #else
    fatalError("this edition has no Solutions/ module")
    #endif
}
