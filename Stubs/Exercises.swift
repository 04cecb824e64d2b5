import UNetKit
import SegmentationModels
import LabExercises

/// This module's answers to the course's four exercises and the advanced lab's five, for the
/// labs, the tool and the graders. `name` is the module's own name: "Solutions" here, "Labs"
/// in the student's copy.
public let exercises = ExerciseSet(
    name: String(String(reflecting: UNetShallow.self).prefix { $0 != "." }),
    jaccardCoeff: jaccardCoeff,
    makeUpAdd: { UpAdd($0, $1) },
    makeUNetShallow: { UNetShallow(nChannels: $0, nClasses: $1, base: $2) },
    deconv2d: deconv2d,
    focalLoss: { try focalLoss($0, $1, alpha: $2, gamma: $3) },
    dropBlockGamma: { dropBlockGamma(dropProbability: $0, blockSize: $1, height: $2, width: $3) },
    dropBlock: { try dropBlock($0, seedMask: $1, blockSize: $2) },
    makeSpatialAttention: { SpatialAttentionGate(kernelSize: $0) },
    slidingWindowPredict: { try slidingWindowPredict($0, patchSize: $1, overlap: $2, model: $3) },
    rocAUC: { try rocAUC(scores: $0, labels: $1) })
