import Foundation
import UNetKit

/// Prints training progress: the course's log lines always; between them, on a terminal, a
/// progress bar redrawn in place (step, loss, images/s, time left). When the output is a file
/// or a pipe only plain lines are written.
public final class ProgressReporter {
    let totalSteps: Int
    let stepsPerEpoch: Int
    let isTerminal: Bool
    private var barShown = false

    public init(configuration: TrainingConfiguration, isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
        totalSteps = configuration.epochs * configuration.stepsPerEpoch
        stepsPerEpoch = configuration.stepsPerEpoch
        self.isTerminal = isTerminal
    }

    public func handle(_ event: TrainingEvent) {
        switch event {
        case let .step(epoch, step, loss, imagesPerSecond, secondsLeft):
            guard isTerminal else { return }
            let done = (epoch - 1) * stepsPerEpoch + step
            let width = 24
            let filled = width * done / max(1, totalSteps)
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let text = String(format: "\r%@ %d/%d  epoch %d  loss %.4f  %.1f img/s  %@ left\u{1B}[K",
                              bar, done, totalSteps, epoch, loss, imagesPerSecond, duration(secondsLeft))
            FileHandle.standardOutput.write(text.data(using: .utf8)!)
            barShown = true
        case let .log(epoch, step, loss):
            line(String(format: "epoch %d iteration %d loss is %.4f", epoch, step, loss))
        case let .validation(_, dice, diceWithBackground):
            line(String(format: "validation dice coeff: %.4f  (foreground; %.4f counting the background as the course's eval_net does)",
                        dice, diceWithBackground))
        }
    }

    /// Prints a line, first clearing the progress bar if one is shown.
    public func line(_ text: String) {
        if barShown { FileHandle.standardOutput.write("\r\u{1B}[K".data(using: .utf8)!); barShown = false }
        print(text)
        fflush(nil)    // every output stream: standard output without naming the C global
    }
}

/// 75 → "1m15s", 3700 → "1h01m".
func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
    if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return "\(s)s"
}
