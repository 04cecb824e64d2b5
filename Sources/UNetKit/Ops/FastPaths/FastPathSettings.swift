import CBLAS
import CMalloc

/// Process-wide settings the fast paths rely on; the first convolution or matrix product applies
/// them (once per process):
///
/// * OpenBLAS runs on one thread: `matrixMultiply` and the Winograd path split the work over the
///   cores themselves (`MatrixMultiply.swift` says why).
/// * glibc's malloc keeps freed blocks of up to 32 MB for reuse instead of handing them back to
///   the kernel. A training step allocates and frees hundreds of activation and scratch buffers
///   of 1–32 MB; with glibc's default (a threshold that adapts, and trimming) many of them come
///   back as fresh zeroed pages every step.
///
/// These are process-wide side effects of the library: a program that embeds UNetKit and wants
/// OpenBLAS's threads back calls `openblas_set_num_threads` itself afterwards.
let fastPathSettings: Void = {
    openblas_set_num_threads(1)
    _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)     // glibc's largest allowed value
    _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
}()
