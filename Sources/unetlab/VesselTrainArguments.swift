import ArgumentParser
import Experiments

/// `--data`: what `unetlab train` learns from.
enum DataChoice: String, ExpressibleByArgument, CaseIterable {
    /// The course's synthetic shapes (the course's run, unchanged).
    case shapes
    /// Synthetic retinal vessels with a field of view (`VesselTrainingRun`).
    case vessels
}

extension LossChoice: ExpressibleByArgument {}
extension OptimizerChoice: ExpressibleByArgument {}
extension ScheduleChoice: ExpressibleByArgument {}
extension VesselPreprocessing: ExpressibleByArgument {}

/// The options of `unetlab train --data vessels` beyond those the shapes run shares.
struct VesselTrainArguments: ParsableArguments {
    @Option(help: "Vessels: loss (bce, focal, dice, iou, ce, bce+dice).") var loss: LossChoice = .bce
    @Option(help: "Vessels: optimiser (sgd, adam, adamw).") var optimizer: OptimizerChoice = .adam
    @Option(help: "Vessels: learning-rate schedule per epoch (none, step, cosine).") var schedule: ScheduleChoice = .none
    @Option(name: .customLong("step-size"), help: "Vessels: StepLR epochs between decays.") var stepSize = 10
    @Option(help: "Vessels: StepLR decay factor.") var gamma = 0.1
    @Option(name: .customLong("early-stopping"), help: "Vessels: stop after PATIENCE epochs without a lower validation loss; keep the best weights.")
    var earlyStopping: Int?
    @Option(help: "Vessels: train on random PATCH×PATCH windows centred in the FOV (default: whole images).") var patch: Int?
    @Option(help: "Vessels: output channels, 1 or 2 (default: the network's).") var classes: Int?
    @Option(name: .customLong("train-images"), help: "Vessels: synthetic training images.") var trainImages = 16
    @Option(name: .customLong("val-images"), help: "Vessels: held-out validation images.") var valImages = 4
    @Flag(help: "Vessels: colour (RGB) fundus images.") var colour = false
    @Option(help: "Vessels: preprocessing (none, grey, equalize, clahe).") var preprocess: VesselPreprocessing = .none
    @Flag(name: .customLong("no-augment"), help: "Vessels: no random flips and quarter turns.") var noAugment = false
    @Option(name: .customLong("drop-block"), help: "Vessels: drop probability of every DropBlock layer (default: the network's own; sa-unet 0.18, dacrse-unet 0.5).")
    var dropBlock: Double?
    @Option(help: "Vessels: resume from this checkpoint.safetensors (same options; more --epochs).") var resume: String?
}
