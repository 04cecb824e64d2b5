import CBLAS

/// Which BLAS does the matrix products, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64,
/// kernel Zen, 2 threads" — benchmarks print it beside their figures.
public func blasDescription() -> String {
    let config = String(cString: openblas_get_config()).trimmingCharacters(in: " ")
    let core = String(cString: openblas_get_corename())
    return "\(config), kernel \(core), \(openblas_get_num_threads()) threads"
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
