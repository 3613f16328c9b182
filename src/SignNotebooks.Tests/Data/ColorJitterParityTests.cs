using SignNotebooks.Data;
using static TorchSharp.torch;

namespace SignNotebooks.Tests.Data;

public class ColorJitterParityTests
{
    // Expected values printed by torchvision 0.14.1 (Debian python3-torchvision) with
    // TF.adjust_brightness(1.2) -> adjust_hue(0.07) -> adjust_contrast(1.3) -> adjust_saturation(0.7),
    // and separately adjust_hue(-0.09), on img = ((arange(24) * 37 % 23) / 22).view(1, 3, 2, 4).
    private static Tensor Image() => (arange(24, dtype: float32) * 37 % 23 / 22.0).view(1, 3, 2, 4);

    [Fact]
    public void Chained_adjustments_match_torchvision()
    {
        using var scope = NewDisposeScope();
        float[] expected =
        [
            0.153445f, 0.800754f, 0.562946f, 0.991434f, 0.517127f, 0.146202f, 0.871661f, 0.239361f, 0.627444f, 0.776929f, 0.094241f, 0.991434f,
            0.493301f, 0.591413f, 0.847836f, 0.215535f, 0.853445f, 0.502936f, 0.794241f, 0.816724f, 0.219308f, 0.846202f, 0.573843f, 0.061525f,
        ];
        // Order codes: 0 brightness, 3 hue, 1 contrast, 2 saturation.
        var got = new ColorJitter([0, 3, 1, 2], 1.2, 1.3, 0.7, 0.07).Apply(Image()).flatten().data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], got[i], 4);
    }

    [Fact]
    public void Negative_hue_shift_matches_torchvision()
    {
        using var scope = NewDisposeScope();
        float[] expected =
        [
            0.0f, 0.636364f, 0.090909f, 0.863636f, 0.454545f, 0.045455f, 0.681818f, 0.272727f, 0.909091f, 0.363636f, 0.445455f, 0.590909f,
            0.181818f, 0.954545f, 0.409091f, 0.0f, 0.281818f, 0.374545f, 1.0f, 0.601818f, 0.192727f, 0.327273f, 0.42f, 0.010909f,
        ];
        var got = new ColorJitter([3], 1, 1, 1, -0.09).Apply(Image()).flatten().data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], got[i], 4);
    }
}
