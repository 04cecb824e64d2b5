import ArgumentParser
import Foundation
import UNetKit

/// `unetlab openblas-kernel`: which OpenBLAS kernel runs here, and why.
struct OpenBLASKernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openblas-kernel",
        abstract: "Print which OpenBLAS kernel runs the matrix products, and why.",
        discussion: """
            unetlab asks for the best kernel the CPU's flags allow when OpenBLAS picked a lower one \
            (it does not know every CPU) and OPENBLAS_CORETYPE is unset, by starting itself again \
            with the variable set. --environment prints the same assignments for another process \
            (nothing when OpenBLAS's pick stands): `make test` runs the tests with them, \
            `env $(unetlab openblas-kernel --environment) python3 …` would too.
            """)

    @Flag(help: "Print only the variables to give another process (VAR=value …), or nothing.")
    var environment = false

    func run() throws {
        guard environment else {
            print(blasDescription())
            return
        }
        let variables = ProcessInfo.processInfo.environment
        // unetlab restarted itself with its own choice: hand the same on.
        if let replaced = variables[OpenBLASKernel.replacedKernelVariable], let kernel = variables["OPENBLAS_CORETYPE"] {
            print("OPENBLAS_CORETYPE=\(kernel) \(OpenBLASKernel.replacedKernelVariable)=\(replaced)")
        }
    }
}
