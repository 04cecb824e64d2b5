// CBLAS: the C interface of OpenBLAS (Debian: libopenblas-dev).
// Only cblas_sgemm and the thread controls are used by UNetKit.
#include <cblas.h>
