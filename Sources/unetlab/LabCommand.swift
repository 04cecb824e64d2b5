import ArgumentParser
import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import LabExercises
import Experiments
import Benchmarks
import CourseLab
import Labs

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

    @OptionGroup var exerciseChoice: ExerciseChoice
    @Flag(help: "A fast pass: 1 epoch × 10 steps on 64×64 images instead of the course's 5 × 50 at 128×128.")
    var quick = false
    @Option(help: "Folder for the figures, the per-step losses and report.html (created if missing).")
    var out = "lab-output"
    @Option(help: "Your answers to the seven questions (Markdown; created with empty answers if missing).")
    var answers = "Labs/ANSWERS.md"
    @Option(help: "Seed of the data and the initial weights.") var seed: UInt64 = 1

    func validate() throws { try requireLabPaths(out: out, answers: answers) }

    func run() throws {
        let exercises = try exerciseChoice.exercises()
        try createOutputDirectory(out)
        var settings: LabSettings = quick ? .quick : .course
        settings.seed = seed
        let record = try CourseLab(exercises: exercises, settings: settings, outputDirectory: out,
                                     answersFile: answers).run()
        if record.cells.contains(where: { $0.status == .failed }) {
            print("Some cells showed errors — see above or in the report.")
        }
    }
}
