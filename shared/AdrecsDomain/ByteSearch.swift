/// Word-at-a-time byte search (SWAR), the hot loop of line splitting and field parsing.
enum ByteSearch {
    /// The index of the first `target` byte in `base[start..<end]`, or `end` when absent.
    @inline(__always)
    static func firstIndex(of target: UInt8, in base: UnsafeRawPointer, from start: Int, to end: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let pattern = ones &* UInt64(target)
        var index = start
        while index &+ 8 <= end {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ pattern
            let found = (word &- ones) & ~word & highs
            if found != 0 {
                return index &+ found.trailingZeroBitCount &>> 3
            }
            index &+= 8
        }
        while index < end {
            if base.load(fromByteOffset: index, as: UInt8.self) == target { return index }
            index &+= 1
        }
        return end
    }

    /// ``firstIndex(of:in:from:to:)`` that also ORs into `notText` a flag for every byte it reads
    /// (whole words, so a few bytes past the match too): ``isPlainText(_:)`` of the result is true
    /// when all those bytes are ASCII without NUL, the text fast path of the fields before the match.
    @inline(__always)
    static func firstIndex(of target: UInt8, in base: UnsafeRawPointer, from start: Int, to end: Int, notText: inout UInt64) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let pattern = ones &* UInt64(target)
        var index = start
        while index &+ 8 <= end {
            let loaded = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            notText |= loaded | (loaded &- ones)
            let word = UInt64(littleEndian: loaded) ^ pattern
            let found = (word &- ones) & ~word & highs
            if found != 0 {
                return index &+ found.trailingZeroBitCount &>> 3
            }
            index &+= 8
        }
        while index < end {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            notText |= UInt64(byte | (byte &- 1))
            if byte == target { return index }
            index &+= 1
        }
        return end
    }

    /// Whether the flags gathered by ``firstIndex(of:in:from:to:notText:)`` show only ASCII bytes
    /// without NUL: per byte, `b | (b - 1)` has its high bit set exactly for NUL and bytes ≥ 0x80
    /// (in a word, the lowest NUL byte gets it, no borrow reaching it from below).
    @inline(__always)
    static func isPlainText(_ notText: UInt64) -> Bool {
        notText & 0x8080_8080_8080_8080 == 0
    }

    /// Byte-wise equality of two memory ranges of `count` bytes, a word at a time.
    @inline(__always)
    static func equal(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, _ count: Int) -> Bool {
        var index = 0
        while index &+ 8 <= count {
            if lhs.loadUnaligned(fromByteOffset: index, as: UInt64.self) != rhs.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
                return false
            }
            index &+= 8
        }
        while index < count {
            if lhs.load(fromByteOffset: index, as: UInt8.self) != rhs.load(fromByteOffset: index, as: UInt8.self) { return false }
            index &+= 1
        }
        return true
    }

    /// Whether `base[start..<end]` is valid UTF-8 without NUL bytes: text that PostgreSQL stores
    /// as is. Eight bytes at a time while they are ASCII (1...127); a full check only from the first
    /// word holding a byte ≥ 0x80 or a NUL.
    @inline(__always)
    static func isText(_ base: UnsafeRawPointer, from start: Int, to end: Int) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index &+ 8 <= end {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // Zero only when every byte is in 1...127: a byte ≥ 0x80 sets its own high bit, and
            // the lowest NUL byte becomes 0xFF in `word - ones` (no borrow reaches it from below).
            if (word | (word &- ones)) & highs != 0 { return isTextSlow(base, from: index, to: end) }
            index &+= 8
        }
        if index < end && end &- start >= 8 {
            // The last word again, overlapping the checked ones: no byte loop for the tail.
            let word = base.loadUnaligned(fromByteOffset: end &- 8, as: UInt64.self)
            return (word | (word &- ones)) & highs == 0 || isTextSlow(base, from: index, to: end)
        }
        while index < end {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            if byte == 0 || byte >= 0x80 { return isTextSlow(base, from: index, to: end) }
            index &+= 1
        }
        return true
    }

    /// ``isText(_:from:to:)`` decoding scalar by scalar (strict UTF-8: no overlong forms,
    /// surrogates or values above U+10FFFF).
    @inline(never)
    static func isTextSlow(_ base: UnsafeRawPointer, from start: Int, to end: Int) -> Bool {
        var bytes = UnsafeRawBufferPointer(start: base + start, count: end - start).makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar): if scalar.value == 0 { return false }
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
