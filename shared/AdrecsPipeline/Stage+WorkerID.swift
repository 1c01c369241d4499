public import AdrecsDatabase
import Foundation

extension Stage {
    /// The ledger's default worker name for this stage in this process: `<stage>@<host>:<pid>`.
    public var defaultWorkerID: String {
        "\(rawValue)@\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }
}
