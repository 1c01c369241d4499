import Foundation

/// The `runID` of a message that could not be decoded, when its JSON still holds one.
public enum WireRunID {
    public static func read(_ payload: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
            let runID = object["runID"] as? String, !runID.isEmpty
        else { return nil }
        return runID
    }
}
