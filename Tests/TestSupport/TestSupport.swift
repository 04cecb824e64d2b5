import UNetKit
