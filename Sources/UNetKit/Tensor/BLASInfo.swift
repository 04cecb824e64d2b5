import CBLAS

/// Which BLAS does the matrix products, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64,
/// kernel Zen, 1 thread" (one: the fast paths split the work themselves) — benchmarks print it.
public func blasDescription() -> String {
    _ = fastPathSettings     // report the thread count the fast paths run with
    let config = String(cString: openblas_get_config()).trimmingCharacters(in: " ")
    let core = String(cString: openblas_get_corename())
    let threads = openblas_get_num_threads()
    return "\(config), kernel \(core), \(threads) thread\(threads == 1 ? "" : "s")"
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
