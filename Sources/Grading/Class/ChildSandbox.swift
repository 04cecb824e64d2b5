import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a grading child does to itself before any student code runs: resource limits
/// (`setrlimit`) and, on Linux 5.13 or later, a Landlock file-system sandbox: it may read the
/// system's folders, the toolchain and the fixtures, read and run its own build folder, and
/// write only in its own work folder — not the gradebook, not another student's folder.
///
/// Landlock needs no privileges; it is reached through `syscall(2)` (C's variadic `syscall`
/// called through a fixed-arity pointer: valid on x86-64 and arm64 for integer arguments).
public enum ChildSandbox {
    /// Limits for one child: address space, the size of any file it writes (its output
    /// included: past it the kernel sends SIGXFSZ) and CPU seconds.
    public struct Limits: Sendable, Equatable {
        public var memoryMB: Int
        public var outputMB: Int
        public var cpuSeconds: Int
        public init(memoryMB: Int, outputMB: Int, cpuSeconds: Int) {
            self.memoryMB = memoryMB; self.outputMB = outputMB; self.cpuSeconds = cpuSeconds
        }
    }

    /// Sets the limits on this process (soft and hard); returns what failed, if anything.
    public static func apply(_ limits: Limits) -> [String] {
        var failed: [String] = []
        func set(_ resource: Int32, _ value: UInt64, _ name: String) {
            var limit = rlimit(rlim_cur: rlim_t(value), rlim_max: rlim_t(value))
            if setrlimit(__rlimit_resource_t(UInt32(resource)), &limit) != 0 { failed.append(name) }
        }
        set(Int32(RLIMIT_AS.rawValue), UInt64(limits.memoryMB) << 20, "memory")
        set(Int32(RLIMIT_FSIZE.rawValue), UInt64(limits.outputMB) << 20, "output size")
        set(Int32(RLIMIT_CPU.rawValue), UInt64(limits.cpuSeconds), "CPU time")
        set(Int32(RLIMIT_CORE.rawValue), 0, "core dumps")
        return failed
    }

    // MARK: - Landlock

    private typealias Syscall6 = @convention(c) (Int, Int, Int, Int, Int, Int) -> Int
    private static let syscall6: Syscall6? = dlsym(nil, "syscall").map { unsafeBitCast($0, to: Syscall6.self) }
    /// `syscall(number, a, b, c)` with the remaining arguments zero.
    private static func call(_ number: Int, _ a: Int, _ b: Int, _ c: Int) -> Int? {
        syscall6.map { $0(number, a, b, c, 0, 0) }
    }

    // x86-64 and arm64 share these numbers (the generic table).
    private static let sysCreateRuleset = 444, sysAddRule = 445, sysRestrictSelf = 446
    #if arch(x86_64)
    private static let sysPrctl = 157
    #else
    private static let sysPrctl = 167
    #endif

    private static let execute: UInt64 = 1, writeFile: UInt64 = 2, readFile: UInt64 = 4, readDir: UInt64 = 8
    private static let readOnly = execute | readFile | readDir

    /// The Landlock ABI version of the running kernel, 0 when it has none.
    public static var landlockVersion: Int {
        max(call(sysCreateRuleset, 0, 0, 1) ?? 0, 0)   // LANDLOCK_CREATE_RULESET_VERSION
    }

    /// Restricts this process (and anything it starts) to reading `readable` and writing
    /// `writable` (folders or files); everything else is out of reach. Irreversible. Throws
    /// when the kernel has no Landlock or a rule cannot be added.
    public static func restrict(readable: [String], writable: [String]) throws {
        let version = landlockVersion
        guard version >= 1 else { throw CheckFailure("this kernel has no Landlock (Linux 5.13 or later)") }
        var handled: UInt64 = (1 << 13) - 1   // ABI 1: execute … make_sym
        if version >= 2 { handled |= 1 << 13 }   // refer (links and renames across folders)
        if version >= 3 { handled |= 1 << 14 }   // truncate
        var attribute = handled
        let ruleset = withUnsafeMutablePointer(to: &attribute) { call(sysCreateRuleset, Int(bitPattern: $0), 8, 0) } ?? -1
        guard ruleset >= 0 else { throw CheckFailure("landlock_create_ruleset failed (errno \(errno))") }
        defer { close(Int32(ruleset)) }
        func allow(_ path: String, _ access: UInt64) throws {
            let fd = open(path, 0o10000000 | O_CLOEXEC)   // O_PATH
            guard fd >= 0 else { return }   // a path this system does not have: nothing to allow
            defer { close(fd) }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            // Files take file rights only (no read_dir, no make_*).
            let rights = (isDirectory.boolValue ? access : access & (execute | writeFile | readFile | (1 << 14))) & handled
            // struct landlock_path_beneath_attr { u64 allowed_access; s32 parent_fd; } __attribute__((packed))
            var bytes = [UInt8](repeating: 0, count: 12)
            withUnsafeBytes(of: rights.littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
            withUnsafeBytes(of: fd.littleEndian) { bytes.replaceSubrange(8..<12, with: $0) }
            let r = bytes.withUnsafeBufferPointer { call(sysAddRule, ruleset, 1, Int(bitPattern: $0.baseAddress!)) } ?? -1
            guard r == 0 else { throw CheckFailure("landlock_add_rule failed for \(path) (errno \(errno))") }
        }
        for path in readable { try allow(path, readOnly) }
        for path in writable { try allow(path, handled) }
        guard call(sysPrctl, 38, 1, 0) == 0 else { throw CheckFailure("prctl(PR_SET_NO_NEW_PRIVS) failed (errno \(errno))") }
        guard call(sysRestrictSelf, ruleset, 0, 0) == 0 else { throw CheckFailure("landlock_restrict_self failed (errno \(errno))") }
    }

    /// The folders every child may read: the system's, whichever exist.
    public static let systemFolders = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/proc", "/sys", "/dev", "/opt"]
}
