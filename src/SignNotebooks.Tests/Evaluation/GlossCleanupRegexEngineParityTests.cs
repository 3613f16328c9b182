using System.Diagnostics;
using SignNotebooks.Evaluation;
using SignNotebooks.Util;

namespace SignNotebooks.Tests.Evaluation;

/// <summary>
/// The clean-up rules are Python regular expressions in SLRT (spec §8.3). This test runs the same patterns with
/// Python's <c>re</c> (Debian's /usr/bin/python3, present in CI) on thousands of random gloss strings and requires
/// identical output, so .NET's regex semantics (\b, look-behind, $, back-references) cannot drift from Python's.
/// It compares two regex engines on the same patterns; it says nothing about whether the patterns are SLRT's. That is
/// GlossCleanupTests' job: one case per rule of spec §8.3, worked out by hand.
/// </summary>
public class GlossCleanupRegexEngineParityTests
{
    private const string PythonRules = """
import re, sys
from itertools import groupby
def letters(s):
    s=re.sub(r"^([A-Z]) ([A-Z][+ ])", r"\1+\2", s)
    s=re.sub(r"[ +]([A-Z]) ([A-Z]) ", r" \1+\2 ", s)
    for _ in range(3): s=re.sub(r"([ +][A-Z]) ([A-Z][ +])", r"\1+\2", s)
    s=re.sub(r"([ +]SCH) ([A-Z][ +])", r"\1+\2", s)
    s=re.sub(r"([ +]NN) ([A-Z][ +])", r"\1+\2", s)
    s=re.sub(r"([ +][A-Z]) (NN[ +])", r"\1+\2", s)
    s=re.sub(r"([ +][A-Z]) ([A-Z])$", r"\1+\2", s)
    return s
def dups(s):
    s=re.sub(r" +"," ",s)
    for _ in range(4): s=re.sub(r"(?<![\w-])(\b[A-Z]+(?![\w-])) \1(?![\w-])", r"\1", s)
    return re.sub(r" +"," ",s)
def gb(s): return " ".join(k for k,_ in groupby(s.split()))
def p14(s):
    s=s.strip()
    for p in ["loc-","cl-","qu-","poss-","lh-"]: s=re.sub(p,"",s)
    s=re.sub("S0NNE","SONNE",s); s=re.sub("HABEN2","HABEN",s)
    for p in ["__EMOTION__","__PU__","__LEFTHAND__"]: s=re.sub(p,"",s)
    s=re.sub("WIE AUSSEHEN","WIE-AUSSEHEN",s); s=re.sub("ZEIGEN ","ZEIGEN-BILDSCHIRM ",s); s=re.sub("ZEIGEN$","ZEIGEN-BILDSCHIRM",s)
    s=letters(s)
    s=re.sub(r"([A-Z][A-Z])RAUM", r"\1", s); s=re.sub("-PLUSPLUS","",s)
    s=dups(s)
    if any(m in s for m in ["__LEFTHAND__","__EPENTHESIS__","__EMOTION__"]): return "<<THROW>>"
    return gb(s.strip())
def p14t(s):
    s=s.upper().strip()
    for p in ["__LEFTHAND__","__EPENTHESIS__","__EMOTION__"]: s=re.sub(p,"",s)
    s=re.sub(r"\b__[^_ ]*__\b","",s)
    s=re.sub(r"\bloc-([^ ]*)\b", r"\1", s); s=re.sub(r"\bcl-([^ ]*)\b", r"\1", s)
    s=re.sub(r"\b([^ ]*)-PLUSPLUS\b", r"\1", s); s=re.sub(r"\b([A-Z][A-Z]*)RAUM\b", r"\1", s)
    s=re.sub("WIE AUSSEHEN","WIE-AUSSEHEN",s)
    s=letters(s); s=dups(s)
    return gb(s.strip())
import random, sys
out = []
for line in sys.stdin.read().split("\n"):
    if not line: continue
    kind, text = line.split("\t")
    out.append((p14 if kind == "14" else p14t)(text))
sys.stdout.write("\n".join(out) + "\n")
""";

    private static readonly string[] Tokens =
    [
        "A", "B", "C", "X", "NN", "SCH", "REGEN", "WIND", "WOHNRAUM", "ARAUM", "RAUM", "GEHEN-PLUSPLUS", "-PLUSPLUS",
        "loc-HIER", "cl-X", "qu-", "poss-MEIN", "lh-DA", "S0NNE", "HABEN2", "__ON__", "__OFF__", "__PU__", "__EMOTION__",
        "__LEFTHAND__", "WIE", "AUSSEHEN", "ZEIGEN", "ZEIGEN-BILDSCHIRM", "HAUS-X", "IX", "MÖGLICH", "straße", "wie",
        "aussehen", "a", "b", "loc-hier", "gehen-plusplus", "ÄRAUM", "X+Y", "", " ", "WOHNRAUMSCHIFF", "wohnraumschiff",
        "HAUS-PLUSPLUSX", "__X_Y__", "ZEIGENX", "nn", "sch", "x-plusplus", "__on__", "A+B", "REGEN-REGEN",
    ];

    [Fact]
    public async Task Dotnet_regexes_behave_like_python_re_on_random_glosses()
    {
        const string python = "/usr/bin/python3";
        Assert.True(File.Exists(python), "Debian's python3 is missing: apt-get install python3");
        var rng = new Random(17);
        var cases = Enumerable.Range(0, 3000).Select(i => (kind: i % 2 == 0 ? "14" : "T",
            text: string.Join(' ', Enumerable.Range(0, rng.Next(0, 10)).Select(_ => Tokens[rng.Next(Tokens.Length)])))).ToList();
        var script = Path.Combine(Path.GetTempPath(), $"signnb-cleanup-{Guid.NewGuid():N}.py");
        File.WriteAllText(script, PythonRules);
        try
        {
            var psi = new ProcessStartInfo(python, script) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.StandardInputEncoding = new System.Text.UTF8Encoding(false);
            psi.StandardOutputEncoding = System.Text.Encoding.UTF8;
            psi.Environment["PYTHONIOENCODING"] = "utf-8";
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardInput.Write(string.Join("\n", cases.Select(c => $"{c.kind}\t{c.text}")) + "\n");
            p.StandardInput.Close();
            var lines = p.StandardOutput.ReadToEnd().Split('\n');
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, await stderr);
            for (int i = 0; i < cases.Count; i++)
            {
                string ours;
                try { ours = GlossCleaner.Clean(cases[i].text, cases[i].kind == "14" ? GlossCleanup.Phoenix2014 : GlossCleanup.Phoenix2014T); }
                catch (UserFacingException) { ours = "<<THROW>>"; }
                Assert.True(lines[i] == ours, $"{cases[i].kind} \"{cases[i].text}\": python \"{lines[i]}\", ours \"{ours}\"");
            }
        }
        finally { File.Delete(script); }
    }
}
