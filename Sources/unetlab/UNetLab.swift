import ArgumentParser
import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import LabExercises
import Experiments
import Benchmarks
import CourseLab

/// `unetlab` — the UNet Lab Kit command-line tool.
@main
struct UNetLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unetlab",
        abstract: "UNet Lab Kit: synthetic shapes, a UNet trained on the CPU, figures as PNG.",
        subcommands: [LabCommand.self, Generate.self, Train.self, Predict.self, Worst.self, Summary.self, Appendix.self, Bench.self, BenchConv.self,
                      Grade.self, StripSolutions.self, StudentEditionCommand.self])

    /// Starts again with OpenBLAS's AVX-512 kernel when the CPU has AVX-512 but OpenBLAS chose an
    /// AVX2 one and `OPENBLAS_CORETYPE` is unset (`OpenBLASKernel`); then runs the command.
    static func main() {
        if let core = OpenBLASKernel.preferredCoreType(cpuFlags: OpenBLASKernel.cpuFlags(), currentCore: OpenBLASKernel.current,
                                                       environment: ProcessInfo.processInfo.environment) {
            setenv("OPENBLAS_CORETYPE", core, 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
            // Only reached when the exec failed: go on with the kernel already loaded.
            unsetenv("OPENBLAS_CORETYPE")
        }
        main(nil)
    }
}
