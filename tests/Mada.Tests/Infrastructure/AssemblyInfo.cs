// Tests run one at a time: they share the process-wide counts of native objects per handle type
// (alive, and destroyed by the finalizer), which LeakCheck reads before and after each test.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
