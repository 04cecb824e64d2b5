import UNetKit

/// This module's answers to the four exercises, for the lab, the tool and the graders.
public let exercises = ExerciseSet(
    name: "Solutions",
    jaccardCoeff: jaccardCoeff,
    makeUpAdd: { UpAdd($0, $1) },
    makeUNetAdd: { UNetAdd(nChannels: $0, nClasses: $1, base: $2) },
    makeUNetShallow: { UNetShallow(nChannels: $0, nClasses: $1, base: $2) },
    deconv2d: deconv2d)
