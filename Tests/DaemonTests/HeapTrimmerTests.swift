import Testing

@testable import Daemon

struct HeapTrimmerTests {
    @Test func theEnvironmentWinsOverTheBuiltInAllocatorSettings() {
        #expect(HeapTrimmer.isAvailable)
        let operatorChoice = HeapTrimmer.configure(
            environment: ["MALLOC_ARENA_MAX": "8", "MALLOC_MMAP_THRESHOLD_": "1048576"])
        #expect(!operatorChoice.arenas && !operatorChoice.mmapThreshold)
        let builtIn = HeapTrimmer.configure(environment: [:])
        #expect(builtIn.arenas && builtIn.mmapThreshold)
    }
}
