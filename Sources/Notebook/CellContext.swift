import Foundation

/// What a cell writes with: narrative, printed output, figures and questions go both to the
/// console (as the lab runs) and into the cell's record (for report.html).
///
///     context.say("Each image comes with its label.")
///     context.print("(2, 128, 128, 1)")
///     try context.figure("cell1_data.png", caption: "…") { path in try figure.write(to: path) }
///     context.question(1)
///     let j = context.exercise("computing the Jaccard values") { try exercises.jaccardCoeff(a, b) }
///
/// `Lab` is what the notebook's cells share (settings, exercises, trained networks): each lab
/// defines its own.
public final class CellContext<Lab> {
    public let number: Int
    public let title: String
    /// Everything the lab shares between cells.
    public let lab: Lab
    public private(set) var blocks: [NotebookBlock] = []
    public let console: NotebookConsole
    /// Where figures are written.
    public let outputDirectory: URL
    let questions: [NotebookQuestion]
    let answers: AnswersFile

    init(number: Int, title: String, lab: Lab, console: NotebookConsole, outputDirectory: URL,
         questions: [NotebookQuestion], answers: AnswersFile) {
        self.number = number; self.title = title; self.lab = lab; self.console = console
        self.outputDirectory = outputDirectory; self.questions = questions; self.answers = answers
    }

    /// A paragraph of narrative.
    public func say(_ paragraph: String) {
        if case .output? = blocks.last { console.line("") }
        blocks.append(.text(paragraph))
        console.line(wrapped(paragraph))
        console.line("")
    }

    /// A line of output, as the notebook prints it (joined with the previous output block).
    public func print(_ text: String) {
        if case let .output(previous)? = blocks.last {
            blocks[blocks.count - 1] = .output(previous + "\n" + text)
        } else {
            blocks.append(.output(text))
        }
        console.line(text)
    }

    /// Records output without printing it (the training progress printer prints it itself).
    public func record(_ text: String) {
        if case let .output(previous)? = blocks.last {
            blocks[blocks.count - 1] = .output(previous + "\n" + text)
        } else {
            blocks.append(.output(text))
        }
    }

    /// Writes a figure into the output folder with `write(path)` and shows it in the cell.
    public func figure(_ file: String, caption: String, write: (String) throws -> Void) throws {
        try write(outputDirectory.appendingPathComponent(file).path)
        blocks.append(.figure(file: file, caption: caption))
        console.line("[figure] \(outputDirectory.appendingPathComponent(file).path) — \(caption)")
        console.line("")
    }

    /// A ★★★ question and the student's answer to it.
    public func question(_ number: Int) {
        guard let q = questions.first(where: { $0.number == number }) else {
            show(NotebookFileError("this notebook has no question \(number) (cell \(self.number) asks for it)"), part: "asking question \(number)")
            return
        }
        let answer = answers.answer(to: number)
        blocks.append(.question(number: number, answer: answer))
        console.line("")
        console.line("★★★ Question \(number): \(q.title)")
        console.line(wrapped(q.text, indent: "    "))
        if let hint = q.hint { console.line(wrapped("Tip: " + hint, indent: "    ")) }
        console.line(answer == nil
                     ? "    → answer it in \(answers.path) under \"## Question \(number)\""
                     : "    → your answer (from \(answers.path)):\n" + wrapped(answer!, indent: "      "))
        console.line("")
    }

    /// Runs a part of the cell that needs an exercise. If the exercise is still a stub
    /// (an `ExerciseStub`), says so — which file and function to write — and returns nil
    /// so the cell can carry on without it. Other errors propagate.
    public func exercise<T>(_ part: String, _ body: () throws -> T) throws -> T? {
        do {
            return try body()
        } catch let stub as any ExerciseStub {
            skip(stub, part: part)
            return nil
        }
    }

    /// Runs a part of the cell; any error is shown in the cell and the cell carries on.
    /// A stub is reported as a skip, a missing earlier result as such.
    public func attempt(_ part: String, _ body: () throws -> Void) {
        do {
            try body()
        } catch {
            show(error, part: part)
        }
    }

    /// Shows an error in the cell as what it is: a stub, a missing earlier result, or a failure.
    public func show(_ error: Error, part: String) {
        switch error {
        case let stub as any ExerciseStub:
            skip(stub, part: part)
        case let missing as MissingResult:
            blocks.append(.missing("Skipped \(part): \(missing.description)."))
            console.line("⏭  skipped \(part): \(missing.description).")
        default:
            let message = "\(error)"
            blocks.append(.error("Error while \(part): \(message)"))
            console.line("✗ error while \(part): \(message)")
            console.line("  (the lab carries on with the next part)")
        }
    }

    private func skip(_ stub: any ExerciseStub, part: String) {
        let skip = ExerciseSkip(exercise: stub.exercise, file: stub.file, function: stub.function,
                                skippedPart: part, cell: number)
        blocks.append(.skipped(skip))
        console.line("⏭  skipped \(part): \(stub.exercise) is not written yet.")
        console.line("   Write \(stub.function) in \(stub.file), then run the lab again.")
        console.line("")
    }
}
