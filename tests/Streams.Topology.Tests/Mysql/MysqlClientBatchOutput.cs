using System.Text;

namespace Streams.Topology.Tests.Mysql;

/// <summary>
/// Reads the tab-separated rows the mysql client prints in batch mode (the general_log table corpus file):
/// a header row, then fields in which the client escaped backslash, newline, tab and NUL.
/// </summary>
internal static class MysqlClientBatchOutput
{
    public static IReadOnlyList<string[]> Rows(string corpusName) =>
        Corpus.Lines(corpusName).Skip(1).Select(line => line.Split('\t').Select(Unescape).ToArray()).ToList();

    public static string Unescape(string field)
    {
        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] != '\\' || i + 1 == field.Length)
            {
                text.Append(field[i]);
                continue;
            }

            i++;
            text.Append(field[i] switch
            {
                'n' => '\n',
                't' => '\t',
                '0' => '\0',
                _ => field[i],
            });
        }

        return text.ToString();
    }
}
