import ArgumentParser
import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import LabExercises
import Experiments
import Benchmarks
import CourseLab
import GradeCommands

/// `unetlab` — the UNet Lab Kit command-line tool.
@main
struct UNetLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unetlab",
        abstract: "UNet Lab Kit: synthetic shapes, a UNet trained on the CPU, figures as PNG.",
        subcommands: [LabCommand.self, AdvancedLabCommand.self, Generate.self, Train.self, Predict.self, Evaluate.self, Worst.self, Summary.self, Appendix.self, Bench.self, BenchConv.self,
                      GradeCommand.self, MergeGradebooks.self, StripSolutions.self, StudentEditionCommand.self, OpenBLASKernelCommand.self])

    /// Starts again with the best OpenBLAS kernel the CPU's flags allow when OpenBLAS picked a
    /// lower one and `OPENBLAS_CORETYPE` is unset (`OpenBLASKernel.choice`); then runs the
    /// command. Child processes (the graders) inherit the choice.
    static func main() {
        if let kernel = OpenBLASKernel.choiceForThisProcess.kernel {
            setenv(OpenBLASKernel.replacedKernelVariable, OpenBLASKernel.current, 1)
            setenv("OPENBLAS_CORETYPE", kernel, 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
            // Only reached when the exec failed: go on with the kernel already loaded.
            unsetenv("OPENBLAS_CORETYPE")
            unsetenv(OpenBLASKernel.replacedKernelVariable)
        }
        main(nil)
    }
}
