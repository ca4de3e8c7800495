using System.Text;

namespace AnomalyApi.Core.Telemetry;

/// <summary>
/// A forward-only reader over one exposition line: the parser asks it for names, quoted label values
/// and whitespace-separated tokens, and it reports problems with the line number and the column.
/// </summary>
internal ref struct LineCursor(ReadOnlySpan<char> line, int lineNumber)
{
    private readonly ReadOnlySpan<char> _line = line;
    private int _position;

    public readonly int LineNumber { get; } = lineNumber;

    public readonly bool AtEnd => _position >= _line.Length;

    public readonly char? Peek => AtEnd ? null : _line[_position];

    /// <summary>Spaces and tabs separate tokens; the format allows any amount of either.</summary>
    public void SkipWhitespace()
    {
        while (!AtEnd && _line[_position] is ' ' or '\t')
        {
            _position++;
        }
    }

    public bool TryConsume(char expected)
    {
        if (Peek != expected)
        {
            return false;
        }
        _position++;
        return true;
    }

    public void Expect(char expected, string context)
    {
        if (!TryConsume(expected))
        {
            throw Fail($"expected '{expected}' {context} but found {Describe(Peek)}");
        }
    }

    /// <summary>
    /// Reads <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c> for metric names, or the same without colons for label names.
    /// </summary>
    public string ReadName(bool allowColon, string what)
    {
        var start = _position;
        while (!AtEnd && IsNameChar(_line[_position], first: _position == start, allowColon))
        {
            _position++;
        }
        if (_position == start)
        {
            throw Fail($"expected {what} but found {Describe(Peek)}");
        }
        return _line[start.._position].ToString();
    }

    /// <summary>Reads a double-quoted label value, undoing the three escapes the format defines.</summary>
    public string ReadQuoted(string labelName)
    {
        Expect('"', $"to open the value of label '{labelName}'");
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Fail($"the value of label '{labelName}' is not terminated by '\"'");
            }
            var c = _line[_position++];
            if (c == '"')
            {
                return value.ToString();
            }
            if (c != '\\')
            {
                value.Append(c);
                continue;
            }
            if (AtEnd)
            {
                throw Fail($"the value of label '{labelName}' ends in a lone '\\'");
            }
            var escaped = _line[_position++];
            value.Append(escaped switch
            {
                '\\' => '\\',
                '"' => '"',
                'n' => '\n',
                _ => throw Fail(
                    $"invalid escape '\\{escaped}' in the value of label '{labelName}' (only \\\\, \\\" and \\n are allowed)"),
            });
        }
    }

    /// <summary>Reads up to the next space, tab or end of line; empty at the end of the line.</summary>
    public ReadOnlySpan<char> ReadToken()
    {
        var start = _position;
        while (!AtEnd && _line[_position] is not (' ' or '\t'))
        {
            _position++;
        }
        return _line[start.._position];
    }

    public readonly PrometheusFormatException Fail(string problem) =>
        new(LineNumber, $"{problem} (column {_position + 1})");

    private static bool IsNameChar(char c, bool first, bool allowColon) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_'
        || (allowColon && c == ':')
        || (!first && c is >= '0' and <= '9');

    private static string Describe(char? c) => c switch
    {
        null => "the end of the line",
        ' ' or '\t' => "whitespace",
        _ => $"'{c}'",
    };
}
