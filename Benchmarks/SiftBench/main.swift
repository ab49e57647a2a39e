// `SiftBench <name> [options]`: one benchmark per pipeline stage, each printing its figures and the
// figures of its peers measured in the same run. `SiftBench all` runs every one with defaults.

import Foundation

let benchmarks: [(name: String, run: ([String]) async throws -> Void)] = [
    ("fetch", runFetchBench),
    ("feeds", runFeedBench),
    ("extract", runExtractBench),
    ("dedup", runDedupBench),
    ("pipeline", runPipelineBench),
]

let arguments = Array(CommandLine.arguments.dropFirst())
let selected = arguments.first ?? "all"
let rest = Array(arguments.dropFirst())

if selected == "all" {
    var failures: [String] = []
    for benchmark in benchmarks {
        print("\n== \(benchmark.name) ==")
        do {
            try await benchmark.run([])
        } catch {
            failures.append(benchmark.name)
            FileHandle.standardError.write(Data("bench \(benchmark.name) failed: \(error)\n".utf8))
        }
    }
    if !failures.isEmpty { exit(1) }
} else if let benchmark = benchmarks.first(where: { $0.name == selected }) {
    do {
        try await benchmark.run(rest)
    } catch {
        FileHandle.standardError.write(Data("bench \(selected) failed: \(error)\n".utf8))
        exit(1)
    }
} else {
    let names = benchmarks.map(\.name).joined(separator: ", ")
    FileHandle.standardError.write(Data("unknown benchmark '\(selected)'; choose one of: all, \(names)\n".utf8))
    exit(2)
}
