// TorchSharp's random generator, thread settings and Console capture (CLI tests, notebook kernels) are process-wide,
// and two cores gain nothing from running tests side by side: run every test class one after the other, so a test's
// result never depends on what another one does at the same moment.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
