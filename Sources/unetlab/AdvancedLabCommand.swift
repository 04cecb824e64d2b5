import ArgumentParser
import Foundation
import LabExercises
import AdvancedLab

/// `unetlab lab-advanced`: the advanced lab (seeds 000–003, retinal vessels) as ten narrated
/// cells, with figures and report.html.
struct AdvancedLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab-advanced",
        abstract: "Run the advanced lab: ten narrated cells on synthetic retinal vessels, figures as PNG, ten questions, report.html.",
        discussion: """
            Runs your exercises (Labs/) unless --solutions is given. Where one of the five advanced
            exercises is still a stub the lab says which file and function to write and carries on.
            Your answers go in Labs/ANSWERS-advanced.md (created if missing).
            Example: unetlab lab-advanced --quick --out lab-advanced-output
            """)

    @OptionGroup var exerciseChoice: ExerciseChoice
    @Flag(help: "A fast pass (about 1½ minutes): 64×64 images, width 8, up to 10 epochs × 25 steps per network.")
    var quick = false
    @Option(help: "Folder for the figures and report.html (created if missing).")
    var out = "lab-advanced-output"
    @Option(help: "Your answers to the ten questions (Markdown; created with empty answers if missing).")
    var answers = "Labs/ANSWERS-advanced.md"
    @Option(help: "Seed of the data, the initial weights and the random masks.") var seed: UInt64 = 1

    func validate() throws { try requireLabPaths(out: out, answers: answers) }

    func run() throws {
        let exercises = try exerciseChoice.exercises()
        try createOutputDirectory(out)
        var settings: AdvancedSettings = quick ? .quick : .standard
        settings.seed = seed
        let record = try AdvancedLab(exercises: exercises, settings: settings, outputDirectory: out,
                                     answersFile: answers).run()
        if record.cells.contains(where: { $0.status == .failed }) {
            print("Some cells showed errors — see above or in the report.")
        }
    }
}
