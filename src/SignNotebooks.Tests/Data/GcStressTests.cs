using SignNotebooks.Data;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Data;

public class GcStressTests
{
    /// <summary>
    /// TorchSharp 0.107 frees an implicitly converted Scalar in its finalizer, even while the native call that
    /// uses it is running; with the loader on its own thread, a GC from the training thread hit that window and
    /// crashed the process ("Unknown scalar type"). The pipeline holds its Scalars (KeptScalars), so preparing
    /// clips on a background thread while this thread collects garbage must work.
    /// </summary>
    [Fact]
    public void Clip_preparation_survives_garbage_collections_from_another_thread()
    {
        var ds = new TinyDataset(3);
        var pipeline = new ClipPipeline(InputConfig.Cpu with { RgbSize = 16, HeatmapSize = 8, JitterP = 1.0, WeightByConfidence = true, DropMissing = true });
        var clips = ds.ClipNames("train").Select(n => ds.Load("train", n)).ToList();
        Exception? failure = null;
        int done = 0;
        var worker = new Thread(() =>
        {
            try
            {
                for (int i = 0; i < 60; i++)
                {
                    using var scope = NewDisposeScope();
                    using var c = pipeline.Prepare(clips[i % clips.Count], train: true, new Random(i));
                }
            }
            catch (Exception e) { failure = e; }
            finally { Volatile.Write(ref done, 1); }
        });
        worker.Start();
        int collections = 0;
        while (Volatile.Read(ref done) == 0) { GC.Collect(); GC.WaitForPendingFinalizers(); collections++; }
        worker.Join();
        Assert.True(failure is null, failure?.ToString());
        Assert.True(collections > 10);
    }
}
