import CBLAS
import Foundation

/// Which OpenBLAS kernel runs the matrix products, and the best one this CPU can run.
///
/// OpenBLAS (Debian's 0.3.21 is built with DYNAMIC_ARCH) picks a kernel when it loads, from the
/// CPU models it knows. On a CPU newer than it knows it falls back to a generic kernel
/// (Prescott: SSE3 only), and on some AVX-512 CPUs it picks an AVX2 one. `OPENBLAS_CORETYPE`
/// overrides the choice, but only before the library loads — so `unetlab` decides from the
/// CPU's own flags and starts itself again with the variable set (`UNetLab.main`); `make test`
/// sets it for the test process the same way (`unetlab openblas-kernel`).
///
/// The rule (`choice`), a pure function of the flags, the vendor, OpenBLAS's pick and the
/// environment:
///
///     avx512f, avx512bw, avx512dq, avx512vl and avx512_bf16  →  Cooperlake
///     avx512f, avx512bw, avx512dq, avx512vl                  →  SkylakeX
///     avx2 and fma                                           →  Haswell (Zen on AMD)
///     avx                                                    →  Sandybridge
///
/// It asks for that kernel only when it ranks above OpenBLAS's own pick (never a kernel the
/// flags do not allow: that would stop on an illegal instruction), and never when the user has
/// set `OPENBLAS_CORETYPE`.
public enum OpenBLASKernel {
    /// The kernel OpenBLAS chose, e.g. "Haswell", "Zen", "SkylakeX", "Prescott".
    public static var current: String { String(cString: openblas_get_corename()) }

    /// Environment variable `unetlab` sets when it restarted itself with a kernel of its choice:
    /// the kernel OpenBLAS had picked, so that the choice can be explained later.
    public static let replacedKernelVariable = "UNETLAB_OPENBLAS_REPLACED"

    /// The instruction-set flags of this CPU (the `flags` line of /proc/cpuinfo); empty elsewhere.
    public static func cpuFlags(cpuinfo: String? = nil) -> Set<String> {
        field("flags", in: cpuinfo).map { Set($0.split(separator: " ").map(String.init)) } ?? []
    }

    /// The CPU's vendor (`vendor_id` of /proc/cpuinfo: "GenuineIntel", "AuthenticAMD"); "" elsewhere.
    public static func cpuVendor(cpuinfo: String? = nil) -> String { field("vendor_id", in: cpuinfo) ?? "" }

    private static func field(_ name: String, in cpuinfo: String?) -> String? {
        guard let info = cpuinfo ?? (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let colon = line.firstIndex(of: ":") else { return nil }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    /// The best kernel the flags allow (nil: none better than OpenBLAS's generic ones).
    public static func bestKernel(cpuFlags flags: Set<String>, vendor: String) -> String? {
        let avx512: Set<String> = ["avx512f", "avx512bw", "avx512dq", "avx512vl"]
        if avx512.isSubset(of: flags) { return flags.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return vendor == "AuthenticAMD" ? "Zen" : "Haswell" }
        if flags.contains("avx") { return "Sandybridge" }
        return nil
    }

    /// How capable a kernel is: 0 for the generic ones (Prescott, Nehalem, Core2, Katmai, …),
    /// 1 AVX, 2 AVX2, 3 AVX-512, 4 AVX-512 with bf16.
    public static func rank(_ kernel: String) -> Int {
        switch kernel.lowercased() {
        case "cooperlake", "sapphirerapids": 4
        case "skylakex": 3
        case "haswell", "zen", "excavator": 2
        case "sandybridge", "bulldozer", "piledriver", "steamroller": 1
        default: 0
        }
    }

    /// What to do about the kernel, and why.
    public struct Choice: Equatable, Sendable {
        /// The kernel to ask for with `OPENBLAS_CORETYPE`, or nil to leave OpenBLAS's pick.
        public var kernel: String?
        /// One line for people: which kernel and why.
        public var reason: String
    }

    /// The decision, from the CPU's flags and vendor, OpenBLAS's pick and the environment.
    public static func choice(cpuFlags: Set<String>, vendor: String, currentCore: String,
                              environment: [String: String]) -> Choice {
        if let set = environment["OPENBLAS_CORETYPE"] {
            if let replaced = environment[replacedKernelVariable] {
                return Choice(kernel: nil, reason: "unetlab chose \(set) from the CPU's flags (OpenBLAS had picked \(replaced))")
            }
            return Choice(kernel: nil, reason: "OPENBLAS_CORETYPE=\(set) set by the user: left alone")
        }
        guard let best = bestKernel(cpuFlags: cpuFlags, vendor: vendor) else {
            return Choice(kernel: nil, reason: "OpenBLAS's own pick; the CPU has no AVX")
        }
        guard rank(best) > rank(currentCore) else {
            return Choice(kernel: nil, reason: "OpenBLAS's own pick, the best the CPU's flags allow")
        }
        return Choice(kernel: best, reason: "OpenBLAS picked \(currentCore), below what the CPU runs: \(best)")
    }

    /// The decision for this process.
    public static var choiceForThisProcess: Choice {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return choice(cpuFlags: cpuFlags(cpuinfo: cpuinfo), vendor: cpuVendor(cpuinfo: cpuinfo), currentCore: current,
                      environment: ProcessInfo.processInfo.environment)
    }
}
