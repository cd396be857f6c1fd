// One test at a time: several train, and the machine has two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
