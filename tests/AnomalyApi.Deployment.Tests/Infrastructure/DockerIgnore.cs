using System.Text;
using System.Text.RegularExpressions;

namespace AnomalyApi.Deployment.Tests.Infrastructure;

/// <summary>
/// .dockerignore as Docker applies it: patterns relative to the context root, '**' across directories, '*' and
/// '?' within a name, '!' to re-include; a path is left out when the last pattern matching it or one of its
/// parent directories excludes it.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules;

    private DockerIgnore(List<(Regex, bool)> rules) => _rules = rules;

    public static DockerIgnore Load(string contextDirectory)
    {
        var path = Path.Combine(contextDirectory, ".dockerignore");
        var rules = new List<(Regex, bool)>();
        if (!File.Exists(path))
        {
            return new DockerIgnore(rules);
        }
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var exclude = !line.StartsWith('!');
            var pattern = (exclude ? line : line[1..]).Trim().Trim('/');
            rules.Add((new Regex(ToRegex(pattern), RegexOptions.CultureInvariant), exclude));
        }
        return new DockerIgnore(rules);
    }

    /// <summary>Whether a '/'-separated path relative to the context root stays out of the build context.</summary>
    public bool IsExcluded(string relativePath)
    {
        var candidates = new List<string>();
        var parts = relativePath.Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            candidates.Add(string.Join('/', parts.Take(i)));
        }
        var excluded = false;
        foreach (var (pattern, exclude) in _rules)
        {
            if (candidates.Any(pattern.IsMatch))
            {
                excluded = exclude;
            }
        }
        return excluded;
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches zero or more directories; a trailing "**" anything below.
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slash ? "(.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
        return regex.Append('$').ToString();
    }
}
