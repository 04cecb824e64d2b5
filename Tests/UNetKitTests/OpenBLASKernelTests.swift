import XCTest
@testable import UNetKit

/// When `unetlab` asks OpenBLAS for its AVX-512 kernel, and when it leaves OpenBLAS's choice alone.
final class OpenBLASKernelTests: XCTestCase {
    let avx512: Set<String> = ["fma", "avx2", "avx512f", "avx512bw", "avx512dq", "avx512vl"]

    func testAVX512CPUWithAVX2KernelGetsSkylakeX() {
        XCTAssertEqual(OpenBLASKernel.preferredCoreType(cpuFlags: avx512, currentCore: "Haswell", environment: [:]), "SkylakeX")
        XCTAssertEqual(OpenBLASKernel.preferredCoreType(cpuFlags: avx512, currentCore: "Zen", environment: [:]), "SkylakeX")
    }

    func testLeavesOpenBLASAloneOtherwise() {
        // No AVX-512 (this kind of CPU would die on the SkylakeX kernel), or only part of it.
        XCTAssertNil(OpenBLASKernel.preferredCoreType(cpuFlags: ["fma", "avx2"], currentCore: "Zen", environment: [:]))
        XCTAssertNil(OpenBLASKernel.preferredCoreType(cpuFlags: ["avx2", "avx512f"], currentCore: "Haswell", environment: [:]))
        // Already an AVX-512 kernel, or the user chose one.
        XCTAssertNil(OpenBLASKernel.preferredCoreType(cpuFlags: avx512, currentCore: "SkylakeX", environment: [:]))
        XCTAssertNil(OpenBLASKernel.preferredCoreType(cpuFlags: avx512, currentCore: "Haswell",
                                                      environment: ["OPENBLAS_CORETYPE": "Haswell"]))
    }

    func testReadsThisMachinesFlagsAndKernel() {
        XCTAssertFalse(OpenBLASKernel.current.isEmpty)
        #if os(Linux)
        XCTAssertFalse(OpenBLASKernel.cpuFlags().isEmpty, "no flags line in /proc/cpuinfo")
        #endif
    }
}
