// Tests run one at a time: they share one process-wide count of live native handles, which
// LeakCheckedTest reads before and after each test.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
