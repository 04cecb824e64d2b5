import CBLAS
import Foundation

/// Which OpenBLAS kernel runs the matrix products, and the faster one to ask for.
///
/// Debian's OpenBLAS 0.3.21 picks its kernel when it loads, and on CPUs newer than it knows it
/// can pick a kernel below what the CPU runs (the README's speed section has the figures). The variable only
/// counts before the library loads, so `unetlab` starts itself again with it set (see
/// `UNetLab.main`) when `preferredCoreType` says so. On a CPU without AVX-512 the SkylakeX
/// kernel dies on an illegal instruction, so the CPU's flags are checked first.
public enum OpenBLASKernel {
    /// The kernel OpenBLAS chose, e.g. "Haswell", "Zen", "SkylakeX".
    public static var current: String { String(cString: openblas_get_corename()) }

    /// The instruction-set flags of this CPU (the `flags` line of /proc/cpuinfo); empty elsewhere.
    public static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// The AVX-512 subsets OpenBLAS's SkylakeX kernels use.
    static let skylakeXFlags: Set<String> = ["avx512f", "avx512bw", "avx512dq", "avx512vl"]

    /// "SkylakeX" when the CPU has AVX-512 but OpenBLAS chose an AVX2 kernel (Haswell, Zen) and
    /// the user has not chosen one (`OPENBLAS_CORETYPE` unset); otherwise nil: leave it alone.
    public static func preferredCoreType(cpuFlags: Set<String>, currentCore: String,
                                         environment: [String: String]) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, skylakeXFlags.isSubset(of: cpuFlags),
              ["haswell", "zen"].contains(currentCore.lowercased()) else { return nil }
        return "SkylakeX"
    }
}
