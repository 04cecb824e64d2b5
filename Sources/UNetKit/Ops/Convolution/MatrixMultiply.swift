import CBLAS
import Foundation

/// Matrix products for the fast paths: `cblas_sgemm` with OpenBLAS kept to one thread, the
/// work split over the cores by this library instead.
///
/// OpenBLAS's own threads spin (sched_yield) between calls, taking a core from the element-wise
/// kernels that run in between. With one BLAS thread, `matrixMultiply` splits C into column
/// (or row) blocks, one per core, and the Winograd path runs its 16 independent products side
/// by side.


/// Cores the fast paths split their work over.
let computeThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)

/// C = alpha · op(A) · op(B) + beta · C, row-major, C `[m, n]`, op(A) `[m, k]`, op(B) `[k, n]`
/// (`transA`: A is stored `[k, m]`; `transB`: B is stored `[n, k]`), split over the cores.
public func matrixMultiply(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
                    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                    beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    _ = fastPathSettings
    let (ta, tb) = (transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans)
    let (pa, pb, pc) = (SharedBuffer(base: UnsafeMutablePointer(mutating: a)),
                        SharedBuffer(base: UnsafeMutablePointer(mutating: b)), SharedBuffer(base: c))
    // Split the longer side of C into one block per core (multiples of 16 columns or rows).
    let pieces = m * n * k < 1 << 18 ? 1 : computeThreads
    let splitColumns = n >= m
    let length = splitColumns ? n : m
    let block = ((length + pieces - 1) / pieces + 15) / 16 * 16
    parallelFor((length + block - 1) / block) { piece in
        let start = piece * block, size = min(block, length - start)
        if splitColumns {
            cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(size), Int32(k), alpha, pa.base, Int32(lda),
                        pb.base + (transB ? start * ldb : start), Int32(ldb), beta, pc.base + start, Int32(ldc))
        } else {
            cblas_sgemm(CblasRowMajor, ta, tb, Int32(size), Int32(n), Int32(k), alpha,
                        pa.base + (transA ? start : start * lda), Int32(lda), pb.base, Int32(ldb),
                        beta, pc.base + start * ldc, Int32(ldc))
        }
    }
}
