// The service's Prometheus metrics live in one process-wide registry: tests that read anomaly_score after their
// own request must not race requests from other test classes.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
