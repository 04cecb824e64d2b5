// The synthetic shape generator (issue 3) lives in this target.
import UNetKit
