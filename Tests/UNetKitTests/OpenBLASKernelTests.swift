import XCTest
@testable import UNetKit

/// Which OpenBLAS kernel `unetlab` asks for, from real /proc/cpuinfo lines, and when it leaves
/// OpenBLAS's choice alone.
final class OpenBLASKernelTests: XCTestCase {
    /// An Intel Xeon, family 6 model 207 (KVM): AVX-512 with bf16 and AMX. OpenBLAS 0.3.21 does not
    /// know it and picks Prescott.
    let xeon207 = """
        vendor_id\t: GenuineIntel
        cpu family\t: 6
        model\t\t: 207
        flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pdcm pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch cpuid_fault ssbd ibrs ibpb stibp ibrs_enhanced fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves avx_vnni avx512_bf16 wbnoinvd arat avx512vbmi umip pku ospke waitpkg avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg tme avx512_vpopcntdq la57 rdpid bus_lock_detect cldemote movdiri movdir64b md_clear serialize tsxldtrk amx_bf16 avx512_fp16 amx_tile amx_int8 flush_l1d arch_capabilities
        """
    /// An AMD EPYC with AVX2 and no AVX-512: OpenBLAS picks Zen.
    let epycAVX2 = """
        vendor_id\t: AuthenticAMD
        flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm rep_good nopl cpuid extd_apicid tsc_known_freq pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm cmp_legacy cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw topoext perfctr_core ssbd ibrs ibpb stibp vmmcall fsgsbase bmi1 avx2 smep bmi2 rdseed adx smap clflushopt clwb sha_ni xsaveopt xsavec xgetbv1 clzero xsaveerptr wbnoinvd arat npt nrip_save umip rdpid
        """
    /// An AMD EPYC family 26 model 2 (Zen 5, KVM): AVX-512 with bf16. OpenBLAS 0.3.21 picks
    /// Cooperlake itself; this machine's environment set `OPENBLAS_CORETYPE=Haswell`.
    let epycZen5 = """
        vendor_id\t: AuthenticAMD
        cpu family\t: 26
        model\t\t: 2
        flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc cpuid extd_apicid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm cmp_legacy cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw topoext vmmcall fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid avx512f avx512dq adx smap avx512ifma clflushopt clwb avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves avx_vnni avx512_bf16 clzero xsaveerptr arat avx512vbmi umip avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg avx512_vpopcntdq rdpid fsrm avx512_vp2intersect
        """

    func choice(_ cpuinfo: String, _ core: String, _ environment: [String: String] = [:]) -> OpenBLASKernel.Choice {
        OpenBLASKernel.choice(cpuFlags: OpenBLASKernel.cpuFlags(cpuinfo: cpuinfo),
                              vendor: OpenBLASKernel.cpuVendor(cpuinfo: cpuinfo), currentCore: core, environment: environment)
    }

    func testXeonWithBF16OnPrescottGetsCooperlake() {
        XCTAssertEqual(OpenBLASKernel.cpuVendor(cpuinfo: xeon207), "GenuineIntel")
        XCTAssertEqual(choice(xeon207, "Prescott").kernel, "Cooperlake")
        XCTAssertEqual(choice(xeon207, "Haswell").kernel, "Cooperlake")     // an AVX2 kernel on an AVX-512 CPU
        XCTAssertEqual(choice(xeon207, "SkylakeX").kernel, "Cooperlake")
        XCTAssertNil(choice(xeon207, "Cooperlake").kernel)
        XCTAssertNil(choice(xeon207, "SapphireRapids").kernel)
    }

    func testZen5KeepsCooperlakeAndAnAVX2KernelIsRaised() {
        XCTAssertEqual(OpenBLASKernel.cpuVendor(cpuinfo: epycZen5), "AuthenticAMD")
        XCTAssertNil(choice(epycZen5, "Cooperlake").kernel)
        XCTAssertEqual(choice(epycZen5, "Zen").kernel, "Cooperlake")
        XCTAssertEqual(choice(epycZen5, "Prescott").kernel, "Cooperlake")
        XCTAssertNil(choice(epycZen5, "Haswell", ["OPENBLAS_CORETYPE": "Haswell"]).kernel)
    }

    func testEachFlagSetGetsItsKernel() {
        let avx512: Set<String> = ["avx", "fma", "avx2", "avx512f", "avx512bw", "avx512dq", "avx512vl"]
        XCTAssertEqual(OpenBLASKernel.bestKernel(cpuFlags: avx512, vendor: "GenuineIntel"), "SkylakeX")
        XCTAssertEqual(OpenBLASKernel.bestKernel(cpuFlags: avx512.union(["avx512_bf16"]), vendor: "GenuineIntel"), "Cooperlake")
        XCTAssertEqual(OpenBLASKernel.bestKernel(cpuFlags: ["avx", "avx2", "fma"], vendor: "GenuineIntel"), "Haswell")
        XCTAssertEqual(OpenBLASKernel.bestKernel(cpuFlags: ["avx", "avx2", "fma"], vendor: "AuthenticAMD"), "Zen")
        XCTAssertEqual(OpenBLASKernel.bestKernel(cpuFlags: ["sse3", "avx"], vendor: "GenuineIntel"), "Sandybridge")
        XCTAssertNil(OpenBLASKernel.bestKernel(cpuFlags: ["sse3", "ssse3"], vendor: "GenuineIntel"))
        // Part of AVX-512 only (no BW/DQ/VL): the SkylakeX kernel would use what is missing.
        XCTAssertEqual(OpenBLASKernel.bestKernel(cpuFlags: ["avx", "avx2", "fma", "avx512f"], vendor: "GenuineIntel"), "Haswell")
    }

    func testNeverAKernelTheFlagsDoNotAllow() {
        // AVX2 EPYC: Zen is already the best; SkylakeX would stop on an illegal instruction.
        XCTAssertNil(choice(epycAVX2, "Zen").kernel)
        XCTAssertEqual(choice(epycAVX2, "Prescott").kernel, "Zen")
        XCTAssertEqual(choice(epycAVX2, "Nehalem").kernel, "Zen")
        for generic in ["Prescott", "Nehalem", "Core2", "Katmai", "Sandybridge", "Haswell", "SkylakeX"] {
            if let k = choice(epycAVX2, generic).kernel {
                XCTAssertLessThanOrEqual(OpenBLASKernel.rank(k), 2, "\(generic) → \(k) on an AVX2-only CPU")
            }
        }
    }

    func testTheUsersChoiceIsRespected() {
        let mine = choice(xeon207, "Prescott", ["OPENBLAS_CORETYPE": "Prescott"])
        XCTAssertNil(mine.kernel)
        XCTAssertTrue(mine.reason.contains("set by the user"), mine.reason)
        let restarted = choice(xeon207, "Cooperlake", ["OPENBLAS_CORETYPE": "Cooperlake",
                                                       OpenBLASKernel.replacedKernelVariable: "Prescott"])
        XCTAssertNil(restarted.kernel)
        XCTAssertTrue(restarted.reason.contains("OpenBLAS had picked Prescott"), restarted.reason)
    }

    func testReadsThisMachinesFlagsAndKernel() {
        XCTAssertFalse(OpenBLASKernel.current.isEmpty)
        #if os(Linux)
        XCTAssertFalse(OpenBLASKernel.cpuFlags().isEmpty, "no flags line in /proc/cpuinfo")
        #endif
    }
}
