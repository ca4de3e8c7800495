using AnomalyApi.Trainer.Recording;

namespace AnomalyApi.Trainer.Tests.Recording;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("15s", 15_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData(" 2H ", 7_200_000)]
    [InlineData("00:00:15", 15_000)]
    [InlineData("01:30:00", 5_400_000)]
    public void TryParse_WithUnitsOrTimeSpan_GivesThatDuration(string text, double milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("junk", "not a duration")]
    [InlineData("15", "not a duration")]
    [InlineData("s", "not a duration")]
    [InlineData("15x", "unit 'x'")]
    [InlineData("-5s", "not a duration")]
    [InlineData("0s", "longer than zero")]
    [InlineData("1..5s", "not a duration")]
    public void TryParse_WithJunk_FailsWithAReason(string text, string reason)
    {
        Assert.False(DurationParser.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }
}
