import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM during a long run: the first one only sets a flag, which the
/// training loops read between steps — they stop, save what a resume needs, write the outputs
/// and say how to go on. A second signal ends the process at once (the default action).
///
/// The handler does nothing but an atomic store (async-signal-safe); every message and file
/// comes from the main code once it sees the flag.
public enum Interruption {
    private static let received = Atomic<Int32>(0)

    /// Installs the handlers for SIGINT and SIGTERM (once per process is enough; again is harmless).
    public static func install() {
        for sig in [SIGINT, SIGTERM] {
            Glibc.signal(sig) { sig in
                if Interruption.received.exchange(sig, ordering: .relaxed) != 0 {
                    Glibc.signal(sig, SIG_DFL)
                    raise(sig)
                }
            }
        }
    }

    /// The signal received (SIGINT or SIGTERM), or nil.
    public static var receivedSignal: Int32? {
        let s = received.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    /// Whether a stop was asked for.
    public static var isRequested: Bool { receivedSignal != nil }

    /// The exit status a shell expects after the signal: 128 + its number (130 for SIGINT).
    public static var exitStatus: Int32 { 128 + (receivedSignal ?? SIGINT) }

    /// The signal's name for messages.
    public static var signalName: String { receivedSignal == SIGTERM ? "SIGTERM" : "SIGINT (Ctrl-C)" }

    /// Forgets a received signal (tests).
    public static func reset() { received.store(0, ordering: .relaxed) }
}

/// A training stopped by `Interruption` after saving what it could; the message says what was
/// saved and how to resume. The command-line tool exits with `Interruption.exitStatus`.
public struct TrainingInterrupted: Error, CustomStringConvertible, LocalizedError {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
