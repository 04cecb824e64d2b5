import Foundation
import UNetKit
import TestSupport
@testable import SyntheticData

extension DataFixtures {
    /// A U8 H×W fixture as a `ByteImage`.
    static func byteImage(_ name: String) throws -> ByteImage {
        let t = try tensor(name)
        return try ByteImage(width: t.shape[1], height: t.shape[0], pixels: t.scalars.map { UInt8($0) })
    }
}
