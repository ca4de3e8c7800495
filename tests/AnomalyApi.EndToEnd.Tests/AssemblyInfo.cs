// Every test here measures this machine through one recorded model and one running service (EndToEndCollection):
// nothing may run beside them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
