import ArgumentParser
import GradeCommands

/// `unetlab-grade`: the grading commands alone, without the student's Labs/ linked in — so
/// `make grade` can grade a Labs/ that does not compile (the broken files are isolated).
struct UNetLabGrade: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unetlab-grade",
        abstract: "Grade Labs/ or a class of submissions (the same as `unetlab grade`).",
        subcommands: [GradeCommand.self, MergeGradebooks.self],
        defaultSubcommand: GradeCommand.self)
}

UNetLabGrade.main()
