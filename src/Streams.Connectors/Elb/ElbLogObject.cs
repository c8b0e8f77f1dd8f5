using System.Globalization;
using System.Text.RegularExpressions;

namespace Streams.Connectors.Elb;

/// <summary>Which kind of load balancer wrote a log object.</summary>
public enum ElbKind
{
    /// <summary>Application Load Balancer: <c>…_app.&lt;name&gt;.&lt;id&gt;_&lt;end&gt;_&lt;ip&gt;_&lt;random&gt;.log.gz</c>.</summary>
    Application,

    /// <summary>Network Load Balancer: <c>…_net.&lt;name&gt;.&lt;id&gt;_&lt;end&gt;_&lt;random&gt;.log.gz</c>.</summary>
    Network,

    /// <summary>Classic Load Balancer: <c>…_&lt;name&gt;_&lt;end&gt;_&lt;ip&gt;.log</c>, not compressed.</summary>
    Classic,
}

/// <summary>
/// One access-log object in the layout every AWS load balancer writes:
/// <c>[prefix/]AWSLogs/&lt;account&gt;/elasticloadbalancing/&lt;region&gt;/YYYY/MM/DD/&lt;account&gt;_elasticloadbalancing_&lt;region&gt;_&lt;load balancer&gt;_&lt;end time&gt;_….log[.gz]</c>.
/// Each region's folder is read in key order, which is day order.
/// </summary>
public sealed partial record ElbLogObject(string Key, string Account, string Region, DateOnly Date, ElbKind Kind, string LoadBalancer, bool Compressed)
{
    public const string LogsFolder = "AWSLogs/";

    /// <summary>The folder that holds one account's folders: <c>[prefix/]AWSLogs/</c>.</summary>
    public static string AccountsFolder(string prefixFolder) => prefixFolder + LogsFolder;

    /// <summary>The folder that holds an account's region folders, given the account's folder.</summary>
    public static string RegionsFolder(string accountFolder) => accountFolder + "elasticloadbalancing/";

    /// <summary>Whether <paramref name="folder"/> (an account folder, ending in '/') names a 12-digit account.</summary>
    public static bool IsAccountFolder(string folder) => AccountFolderPattern().IsMatch(folder);

    /// <summary>The log object at <paramref name="key"/>, or null when the key is not one (a test file, a temporary copy).</summary>
    public static ElbLogObject? TryParse(string key)
    {
        var m = KeyPattern().Match(key);
        if (!m.Success || m.Groups["account"].Value != m.Groups["faccount"].Value || m.Groups["region"].Value != m.Groups["fregion"].Value)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(m.Groups["date"].Value, "yyyy/MM/dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return null;
        }

        var balancer = m.Groups["lb"].Value;
        var kind = balancer.StartsWith("app.", StringComparison.Ordinal) ? ElbKind.Application
            : balancer.StartsWith("net.", StringComparison.Ordinal) ? ElbKind.Network
            : ElbKind.Classic;
        return new ElbLogObject(key, m.Groups["account"].Value, m.Groups["region"].Value, date, kind, balancer, m.Groups["gz"].Success);
    }

    [GeneratedRegex(@"(^|/)AWSLogs/\d{12}/$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountFolderPattern();

    [GeneratedRegex(
        @"(?:^|/)AWSLogs/(?<account>\d{12})/elasticloadbalancing/(?<region>[a-z0-9-]+)/(?<date>\d{4}/\d{2}/\d{2})/" +
        @"(?<faccount>\d{12})_elasticloadbalancing_(?<fregion>[a-z0-9-]+)_(?<lb>[^_/]+)_\d{8}T\d{4}Z(?:_[^_/]+)+?\.log(?<gz>\.gz)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex KeyPattern();
}
