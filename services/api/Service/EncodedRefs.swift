/// Where an advertiser's encoded bodies are in the arena, until the arena is complete.
struct EncodedRefs {
    var latest: [ByteArena.Ref]
    var history: ByteArena.Ref
    var items: [[ByteArena.Ref]]
}
