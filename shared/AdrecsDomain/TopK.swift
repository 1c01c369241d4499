/// Keeps the first `limit` elements of a stream in the order `precedes`, without sorting it all.
struct TopK<Element> {
    let limit: Int
    private(set) var elements: [Element] = []

    init(limit: Int) {
        self.limit = limit
        elements.reserveCapacity(limit + 1)
    }

    @inline(__always)
    mutating func offer(_ element: Element, precedes: (Element, Element) -> Bool) {
        guard limit > 0 else { return }
        if elements.count == limit {
            guard precedes(element, elements[limit - 1]) else { return }
            elements.removeLast()
        }
        var low = 0, high = elements.count
        while low < high {
            let middle = (low + high) / 2
            if precedes(element, elements[middle]) { high = middle } else { low = middle + 1 }
        }
        elements.insert(element, at: low)
    }
}
