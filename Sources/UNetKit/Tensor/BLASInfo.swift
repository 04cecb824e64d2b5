import CBLAS

/// Which BLAS does the matrix products and why that kernel, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH
/// NO_AFFINITY Prescott MAX_THREADS=64, kernel Cooperlake (unetlab chose Cooperlake from the
/// CPU's flags (OpenBLAS had picked Prescott)), 1 thread" (one: the fast paths split the work
/// themselves) — benchmarks print it.
public func blasDescription() -> String {
    _ = fastPathSettings     // report the thread count the fast paths run with
    let config = String(cString: openblas_get_config()).trimmingCharacters(in: " ")
    let core = String(cString: openblas_get_corename())
    let threads = openblas_get_num_threads()
    return "\(config), kernel \(core) (\(OpenBLASKernel.choiceForThisProcess.reason)), "
        + "\(threads) thread\(threads == 1 ? "" : "s")"
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
