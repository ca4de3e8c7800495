using System.Text;
using System.Text.Json;

namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>One instruction of a Dockerfile, continuation lines joined: keyword (upper case) and the rest.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>Flags (--from=build) and the remaining words of a COPY, ENV or HEALTHCHECK.</summary>
    public (IReadOnlyDictionary<string, string> Flags, IReadOnlyList<string> Words) SplitFlags()
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = new List<string>();
        foreach (var word in Dockerfile.Words(Arguments))
        {
            if (words.Count == 0 && word.StartsWith("--", StringComparison.Ordinal))
            {
                var equals = word.IndexOf('=', StringComparison.Ordinal);
                flags[equals < 0 ? word[2..] : word[2..equals]] = equals < 0 ? "" : word[(equals + 1)..];
            }
            else
            {
                words.Add(word);
            }
        }
        return (flags, words);
    }
}

/// <summary>A build stage: FROM image [AS name] and its instructions.</summary>
internal sealed record DockerStage(string BaseImage, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    public DockerInstruction Single(string keyword)
    {
        var matches = All(keyword).ToList();
        Assert.True(matches.Count == 1, $"Stage '{Name ?? BaseImage}' has {matches.Count} {keyword} instructions; expected one");
        return matches[0];
    }

    /// <summary>ENV of this stage, in order (KEY=VALUE pairs, or the legacy KEY VALUE form).</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in All("ENV"))
        {
            var words = Dockerfile.Words(env.Arguments);
            if (words.Count > 0 && !words[0].Contains('=', StringComparison.Ordinal))
            {
                environment[words[0]] = string.Join(' ', words.Skip(1));
                continue;
            }
            foreach (var pair in words)
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                environment[pair[..equals]] = pair[(equals + 1)..];
            }
        }
        return environment;
    }
}

/// <summary>
/// The parts of Dockerfile syntax this repository's Dockerfile uses: comments, continuation lines, FROM ... AS,
/// exec-form (JSON) and shell-form arguments. Enough to run its build stage's RUN lines as written.
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerStage> stages) => Stages = stages;

    public IReadOnlyList<DockerStage> Stages { get; }

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public DockerStage Stage(string name) =>
        Stages.SingleOrDefault(s => s.Name == name)
        ?? throw new InvalidOperationException($"The Dockerfile has no stage named '{name}' (stages: {string.Join(", ", Stages.Select(s => s.Name))})");

    public static Dockerfile Parse(string text)
    {
        var stages = new List<DockerStage>();
        List<DockerInstruction>? current = null;
        (string Image, string? Name) from = ("", null);
        foreach (var instruction in Instructions(text))
        {
            if (instruction.Keyword == "FROM")
            {
                if (current is not null)
                {
                    stages.Add(new DockerStage(from.Image, from.Name, current));
                }
                var words = Words(instruction.Arguments).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
                from = (words[0], words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null);
                current = [];
                continue;
            }
            if (current is null)
            {
                throw new InvalidOperationException($"Line {instruction.Line}: {instruction.Keyword} before the first FROM");
            }
            current.Add(instruction);
        }
        if (current is not null)
        {
            stages.Add(new DockerStage(from.Image, from.Name, current));
        }
        return new Dockerfile(stages);
    }

    /// <summary>An exec-form argument list (["dotnet", "AnomalyApi.dll"]) as Docker reads it: a JSON array of strings.</summary>
    public static IReadOnlyList<string> ExecForm(string arguments)
    {
        Assert.True(arguments.TrimStart().StartsWith('['), $"Expected exec form (a JSON array), got: {arguments}");
        return JsonSerializer.Deserialize<string[]>(arguments)!;
    }

    /// <summary>Words split on whitespace, with "double" and 'single' quoted words kept whole (quotes removed).</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }

    private static IEnumerable<DockerInstruction> Instructions(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var pending = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            // Comment lines are dropped, also inside a continued instruction (Docker does the same).
            if (trimmed.StartsWith('#') || (trimmed.Length == 0 && pending.Length == 0))
            {
                continue;
            }
            if (pending.Length == 0)
            {
                start = i + 1;
            }
            var continued = trimmed.EndsWith('\\');
            pending.Append(continued ? trimmed[..^1] : trimmed).Append(' ');
            if (continued)
            {
                continue;
            }
            var joined = pending.ToString().Trim();
            pending.Clear();
            if (joined.Length == 0)
            {
                continue;
            }
            var space = joined.IndexOfAny([' ', '\t']);
            yield return space < 0
                ? new DockerInstruction(joined.ToUpperInvariant(), "", start)
                : new DockerInstruction(joined[..space].ToUpperInvariant(), joined[(space + 1)..].Trim(), start);
        }
    }
}
