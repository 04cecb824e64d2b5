import ArgumentParser

/// `unetlab` — the UNet Lab Kit command-line tool.
@main
struct UNetLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unetlab",
        abstract: "UNet Lab Kit: synthetic shapes, a UNet trained on the CPU, figures as PNG.",
        subcommands: [LabCommand.self, Generate.self, Train.self, Predict.self, Worst.self, Summary.self, Appendix.self, Bench.self, BenchConv.self,
                      Grade.self, StripSolutions.self, StudentEditionCommand.self])
}
