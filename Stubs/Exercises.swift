import UNetKit
import SegmentationModels
import LabExercises

/// This module's answers to the four exercises, for the lab, the tool and the graders.
/// `name` is the module's own name: "Solutions" here, "Labs" in the student's copy.
public let exercises = ExerciseSet(
    name: String(String(reflecting: UNetShallow.self).prefix { $0 != "." }),
    jaccardCoeff: jaccardCoeff,
    makeUpAdd: { UpAdd($0, $1) },
    makeUNetShallow: { UNetShallow(nChannels: $0, nClasses: $1, base: $2) },
    deconv2d: deconv2d)
