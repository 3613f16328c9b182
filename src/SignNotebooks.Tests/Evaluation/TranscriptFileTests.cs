using SignNotebooks.Evaluation;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Evaluation;

public sealed class TranscriptFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signnb-trans-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string content) { var p = Path.Combine(_dir, name); File.WriteAllText(p, content); return p; }

    [Fact]
    public void Reads_ids_text_empty_hypotheses_BOM_and_CRLF()
    {
        var p = Write("h.txt", "\uFEFFs1\tA B\r\ns2\t\r\n");
        var lines = TranscriptFile.Read(p);
        Assert.Equal([new TranscriptLine("s1", "A B", 1), new TranscriptLine("s2", "", 2)], lines);
    }

    [Fact]
    public void Pairs_by_id_in_any_order()
    {
        var pairs = TranscriptFile.ReadPairs(Write("h.txt", "s2\tB\ns1\tA\n"), Write("r.txt", "s1\tA X\ns2\tB\n"));
        Assert.Equal([new ScoringPair("s1", "A X", "A"), new ScoringPair("s2", "B", "B")], pairs);
    }

    [Fact]
    public void A_folder_is_named_as_a_folder_not_access_denied()
    {
        var e = Assert.Throws<UserFacingException>(() => TranscriptFile.Read(_dir, "hypothesis"));
        Assert.Contains($"'{_dir}' is a folder", e.Message);
        Assert.DoesNotContain("denied", e.Message);
    }

    [Theory]
    [InlineData("denied.. Fix: x", "denied. Fix: x")]
    [InlineData("wait... and ../data is kept.", "wait... and ../data is kept.")]
    [InlineData("ends twice..", "ends twice.")]
    public void Messages_never_end_a_sentence_with_two_periods(string message, string expected) =>
        Assert.Equal(expected, new UserFacingException(message).Message);

    [Theory]
    [InlineData("s1 A B\n", ":1: no TAB")]
    [InlineData("s1\tA\n\ns2\tB\n", ":2: empty line")]
    [InlineData("\tA\n", ":1: the id before the TAB is empty")]
    [InlineData("s 1\tA\n", "contains whitespace")]
    [InlineData("s1\tA\ns1\tB\n", ":2: id \"s1\" already appeared on line 1")]
    public void Malformed_lines_name_the_file_the_line_and_the_fix(string content, string expected)
    {
        var p = Write("bad.txt", content);
        var e = Assert.Throws<UserFacingException>(() => TranscriptFile.Read(p));
        Assert.Contains(expected, e.Message);
        Assert.Contains(p, e.Message);
    }

    [Fact]
    public void Refuses_unreadable_files_empty_references_and_mismatched_ids()
    {
        var missing = Path.Combine(_dir, "nope.txt");
        Assert.Contains(missing, Assert.Throws<UserFacingException>(() => TranscriptFile.Read(missing)).Message);
        Assert.Contains("has no sentences", Assert.Throws<UserFacingException>(() => TranscriptFile.ReadPairs(Write("h.txt", "s1\tA\n"), Write("r.txt", ""))).Message);
        var e = Assert.Throws<UserFacingException>(() => TranscriptFile.ReadPairs(Write("h2.txt", "s1\tA\ns3\tC\n"), Write("r2.txt", "s1\tA\ns2\tB\n")));
        Assert.Contains("1 reference id(s) have no hypothesis: s2", e.Message);
        Assert.Contains("1 hypothesis id(s) are not in the reference: s3", e.Message);
        var counts = Assert.Throws<UserFacingException>(() => TranscriptFile.ReadPairs(Write("h3.txt", "s1\tA\n"), Write("r3.txt", "s1\tA\ns2\tB\n")));
        Assert.Contains("has 1 sentences and the reference file", counts.Message);
    }
}
