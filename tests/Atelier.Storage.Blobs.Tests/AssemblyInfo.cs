// One store at a time: the large-put test measures allocations process-wide, and the S3 tests share
// one local server.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
