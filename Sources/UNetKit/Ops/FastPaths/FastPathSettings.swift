import CBLAS
import CMalloc

/// Process-wide settings the fast paths rely on; the first convolution or matrix product applies
/// them (once per process):
///
/// * OpenBLAS runs on one thread: `matrixMultiply` and the Winograd path split the work over the
///   cores themselves (`MatrixMultiply.swift` says why).
/// * glibc's malloc keeps every freed block for reuse instead of handing it back to the kernel:
///   no `mmap` for large blocks (`M_MMAP_MAX` 0; glibc cannot raise the mmap threshold above
///   32 MB) and no trimming. A training step allocates and frees hundreds of activation and
///   scratch buffers of 1–75 MB (the UNet's top concat, 33.5 MB at batch 4, its deepest F(4×4)
///   kernels); with glibc's defaults each block above the threshold comes back as fresh pages
///   that the kernel zeroes, every step. Memory freed stays with the process until it exits.
///
/// These are process-wide side effects of the library: a program that embeds UNetKit and wants
/// OpenBLAS's threads back calls `openblas_set_num_threads` itself afterwards.
let fastPathSettings: Void = {
    openblas_set_num_threads(1)
    _ = mallopt(M_MMAP_MAX, 0)
    _ = mallopt(M_TRIM_THRESHOLD, Int32.max)
}()
