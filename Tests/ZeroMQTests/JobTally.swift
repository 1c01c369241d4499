/// Collects what each PULL worker received: warm-up messages apart, jobs by worker.
actor JobTally {
    private(set) var jobsByWorker: [Int: [String]] = [:]
    private var workersWithWarmup: Set<Int> = []

    func record(worker: Int, text: String) {
        if text == "warmup" {
            workersWithWarmup.insert(worker)
        } else {
            jobsByWorker[worker, default: []].append(text)
        }
    }

    var workersWithWarmups: Int { workersWithWarmup.count }

    var jobCount: Int { jobsByWorker.values.reduce(0) { $0 + $1.count } }
}
