import Testing
import Zstd

@Suite("zstd streams")
struct ZstdRoundTripTests {
    /// CSV-like rows, as the filtered logs hold.
    static let csv: [UInt8] = {
        var text = "advertiser_id,product_id,type,date\n"
        for row in 0..<40_000 {
            text += "adv\(row % 37),product\(row % 1_013),\(row % 11 == 0 ? "click" : "impression"),2025-11-\(10 + row % 8)\n"
        }
        return Array(text.utf8)
    }()

    /// Feeds `bytes` in slices of `size`.
    static func slices(_ bytes: [UInt8], _ size: Int) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
    }

    @Test("a stream fed in any slicing decompresses to the same bytes", arguments: [1, 7, 4_096, 1 << 20])
    func roundTrip(sliceSize: Int) throws {
        let input = Self.csv
        let encoder = try ZstdEncoder()
        var compressed: [UInt8] = []
        for slice in Self.slices(input, max(sliceSize, 997)) { try encoder.compress(slice, appendingTo: &compressed) }
        try encoder.finish(appendingTo: &compressed)
        #expect(Array(compressed.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
        #expect(compressed.count * 3 < input.count)

        let decoder = try ZstdDecoder(outputCapacity: 256 * 1024)
        var output: [UInt8] = []
        var largestSlice = 0
        for slice in Self.slices(compressed, sliceSize) {
            try decoder.decompress(slice) {
                largestSlice = max(largestSlice, $0.count)
                output.append(contentsOf: $0)
            }
        }
        try decoder.finish()
        #expect(output == input)
        #expect(largestSlice <= 256 * 1024)
    }

    @Test("a frame made by the zstd command-line tool decodes")
    func referenceFrame() throws {
        // printf 'advertiser_id,product_id,date\nA1,p1,2025-11-17\n' | zstd -1 -c
        let frame: [UInt8] = [
            0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x48, 0x79, 0x01, 0x00, 0x61, 0x64, 0x76, 0x65, 0x72, 0x74, 0x69, 0x73, 0x65,
            0x72, 0x5f, 0x69, 0x64, 0x2c, 0x70, 0x72, 0x6f, 0x64, 0x75, 0x63, 0x74, 0x5f, 0x69, 0x64, 0x2c, 0x64, 0x61,
            0x74, 0x65, 0x0a, 0x41, 0x31, 0x2c, 0x70, 0x31, 0x2c, 0x32, 0x30, 0x32, 0x35, 0x2d, 0x31, 0x31, 0x2d, 0x31,
            0x37, 0x0a, 0x58, 0x61, 0xc2, 0xf9,
        ]
        #expect(String(decoding: try ZstdDecoder.decompress(frame), as: UTF8.self)
            == "advertiser_id,product_id,date\nA1,p1,2025-11-17\n")
    }

    @Test("concatenated frames decode to the concatenated inputs")
    func concatenatedFrames() throws {
        let first = try ZstdEncoder.compress(Array("first\n".utf8))
        let second = try ZstdEncoder.compress(Array("second\n".utf8))
        #expect(try ZstdDecoder.decompress(first + second) == Array("first\nsecond\n".utf8))
    }

    @Test("an empty input still makes a valid frame")
    func emptyInput() throws {
        let frame = try ZstdEncoder.compress([])
        #expect(!frame.isEmpty)
        #expect(try ZstdDecoder.decompress(frame) == [])
    }

    @Test("a truncated stream fails at finish")
    func truncated() throws {
        let frame = try ZstdEncoder.compress(Self.csv)
        let decoder = try ZstdDecoder()
        try decoder.decompress(Array(frame.dropLast(10))) { _ in }
        let error = #expect(throws: ZstdError.self) { try decoder.finish() }
        #expect(error?.description == "zstd finish: truncated stream: the last frame is incomplete")
    }

    @Test("no bytes at all is not a stream")
    func noBytes() throws {
        let decoder = try ZstdDecoder()
        let error = #expect(throws: ZstdError.self) { try decoder.finish() }
        #expect(error?.message == "empty stream: no zstd frame")
    }

    @Test("a damaged byte is caught (content checksum or corruption)")
    func damaged() throws {
        var frame = try ZstdEncoder.compress(Self.csv)
        frame[frame.count / 2] ^= 0x5A
        let error = #expect(throws: ZstdError.self) { _ = try ZstdDecoder.decompress(frame) }
        #expect(error?.operation == "decompress")
    }

    @Test("bytes that are not zstd are rejected")
    func notZstd() throws {
        let error = #expect(throws: ZstdError.self) { _ = try ZstdDecoder.decompress(Array("advertiser_id\nA1\n".utf8)) }
        #expect(error?.description.hasPrefix("zstd decompress: ") == true)
    }
}
