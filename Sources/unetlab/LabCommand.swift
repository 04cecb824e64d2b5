import ArgumentParser
import Foundation
import Lab
import Labs
import UNetKit
#if canImport(Solutions)
import Solutions
#endif

/// `unetlab lab`: the course's lab as numbered, narrated cells, with figures and report.html.
struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Run the lab: nine narrated cells, figures as PNG, the seven questions, report.html.",
        discussion: """
            Runs your exercises (Labs/) unless --solutions is given. Where an exercise is still a stub
            the lab says which file and function to write and carries on with what does not need it.
            Your answers to the questions go in Labs/ANSWERS.md (created if missing); the report
            shows them under each question.
            Example: unetlab lab --quick --out lab-output
            """)

    @Flag(help: "Run the reference answers (Solutions/) instead of your exercises (Labs/).") var solutions = false
    @Flag(help: "A fast pass: 1 epoch × 10 steps on 64×64 images instead of the course's 5 × 50 at 128×128.")
    var quick = false
    @Option(help: "Folder for the figures, the per-step losses and report.html (created if missing).")
    var out = "lab-output"
    @Option(help: "Your answers to the seven questions (Markdown; created with empty answers if missing).")
    var answers = "Labs/ANSWERS.md"
    @Option(help: "Seed of the data and the initial weights.") var seed: UInt64 = 1

    func run() throws {
        let exercises = try labExercises(solutions: solutions)
        try createOutputDirectory(out)
        var settings: LabSettings = quick ? .quick : .course
        settings.seed = seed
        let record = try LabNotebook(exercises: exercises, settings: settings, outputDirectory: out,
                                     answersFile: answers).run()
        if record.cells.contains(where: { $0.status == .failed }) {
            print("Some cells showed errors — see above or in the report.")
        }
    }
}

/// The exercises the lab runs: the reference answers with `--solutions`, else the student's.
func labExercises(solutions: Bool) throws -> ExerciseSet {
    guard solutions else { return Labs.exercises }
    #if canImport(Solutions)
    return Solutions.exercises
    #else
    throw ValidationError("--solutions: this edition has no Solutions/ (the student edition ships only Labs/)")
    #endif
}
