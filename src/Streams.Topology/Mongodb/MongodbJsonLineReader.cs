using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Streams.Topology.Mongodb;

/// <summary>
/// One forward pass of <see cref="Utf8JsonReader"/> over a JSON log line, reading what
/// <see cref="MongodbJsonLogParser"/> reads from a <see cref="JsonDocument"/> without building one.
/// It gives up (returns false) on whatever the document reading could resolve differently: invalid JSON,
/// more than one value, an escaped or repeated name where names matter, a string that cannot be decoded or a
/// fractional durationMillis. The caller then reads the line through the document, so results and error
/// reasons are the same either way.
/// </summary>
internal ref struct MongodbJsonLineReader
{
    private readonly ReadOnlySpan<byte> _utf8;
    private Utf8JsonReader _reader;

    private MongodbJsonLineReader(ReadOnlySpan<byte> utf8, JsonReaderOptions options)
    {
        _utf8 = utf8;
        _reader = new Utf8JsonReader(utf8, options);
    }

    /// <summary>The entry, or the reason it is not one, when a single pass decides it; false when it cannot.</summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8, JsonReaderOptions options, out MongodbLineFields fields)
    {
        fields = default;
        try
        {
            var reader = new MongodbJsonLineReader(utf8, options);
            return reader.ReadLine(ref fields);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private bool ReadLine(ref MongodbLineFields fields)
    {
        if (!_reader.Read() || _reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = RootName.None;
        while (Next() == JsonTokenType.PropertyName)
        {
            if (_reader.ValueIsEscaped)
            {
                return false;
            }

            var name = Root(ref _reader);
            if (name != RootName.Other)
            {
                if ((seen & name) != 0)
                {
                    return false;
                }

                seen |= name;
            }

            Next();
            if (fields.Problem is not null)
            {
                // The document reading stops at a bad time; the rest only has to be valid JSON.
                _reader.Skip();
                continue;
            }

            switch (name)
            {
                case RootName.Time:
                    if (!ReadTime(ref fields))
                    {
                        return false;
                    }

                    break;
                case RootName.Severity: fields.Severity = Severity(); break;
                case RootName.Component: fields.Component = StringOrNull(); break;
                case RootName.Context: fields.Context = StringOrNull(); break;
                case RootName.Message: fields.Message = StringOrNull(); break;
                case RootName.Service: fields.Service = StringOrNull(); break;
                case RootName.Id: fields.Id = ReadId(); break;
                case RootName.Tags: fields.Tags = ReadTags(); break;
                case RootName.Truncated: fields.TruncatedJson = RawText(); break;
                case RootName.Size: fields.SizeJson = RawText(); break;
                case RootName.Attributes:
                    var start = (int)_reader.TokenStartIndex;
                    if (_reader.TokenType == JsonTokenType.StartObject)
                    {
                        if (!ReadAttributes(ref fields.Known))
                        {
                            return false;
                        }
                    }
                    else
                    {
                        _reader.Skip();
                    }

                    fields.AttributesJson = Encoding.UTF8.GetString(_utf8[start..(int)_reader.BytesConsumed]);
                    break;
                default:
                    _reader.Skip();
                    break;
            }
        }

        // Nothing but white space may follow the object.
        return !_reader.Read();
    }

    /// <summary>t: {"$date": "ISO 8601"} or {"$date": {"$numberLong": "ms"}}; the last "$date" counts.</summary>
    private bool ReadTime(ref MongodbLineFields fields)
    {
        fields.Problem = "has no t.$date timestamp";
        fields.HasTime = false;
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            _reader.Skip();
            return true;
        }

        var dates = 0;
        while (Next() == JsonTokenType.PropertyName)
        {
            if (_reader.ValueIsEscaped)
            {
                return false;
            }

            var isDate = _reader.ValueTextEquals("$date"u8);
            Next();
            if (!isDate)
            {
                _reader.Skip();
                continue;
            }

            if (++dates > 1)
            {
                return false;
            }

            if (_reader.TokenType == JsonTokenType.String)
            {
                fields.Problem = "has a t.$date that is not an ISO 8601 time with a zone";
                if (TryParseIsoString(out var time))
                {
                    fields.Problem = null;
                    fields.Timestamp = time;
                    fields.HasTime = true;
                }

                continue;
            }

            fields.Problem = "has a t.$date that is neither a string nor a $numberLong";
            if (_reader.TokenType != JsonTokenType.StartObject)
            {
                _reader.Skip();
                continue;
            }

            if (!ReadNumberLong(ref fields))
            {
                return false;
            }
        }

        return true;
    }

    private bool ReadNumberLong(ref MongodbLineFields fields)
    {
        var found = false;
        while (Next() == JsonTokenType.PropertyName)
        {
            if (_reader.ValueIsEscaped)
            {
                return false;
            }

            var isNumberLong = _reader.ValueTextEquals("$numberLong"u8);
            Next();
            if (!isNumberLong)
            {
                _reader.Skip();
                continue;
            }

            if (found)
            {
                return false;
            }

            found = true;
            if (_reader.TokenType == JsonTokenType.String
                && long.TryParse(_reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millis)
                && millis >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && millis <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                fields.Problem = null;
                fields.Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(millis);
                fields.HasTime = true;
            }
            else
            {
                _reader.Skip();
            }
        }

        return true;
    }

    /// <summary>What <see cref="MongodbJsonAttributes.Read"/> lifts out of attr, read in the same order.</summary>
    private bool ReadAttributes(ref MongodbWellKnownFields known)
    {
        string? ns = null, namespaceAttr = null, db = null, commandDb = null, authenticationDb = null;
        string? appName = null, clientAppName = null, user = null, principal = null;
        var seen = AttributeName.None;
        while (Next() == JsonTokenType.PropertyName)
        {
            if (_reader.ValueIsEscaped)
            {
                return false;
            }

            var name = Attribute(ref _reader);
            if (name != AttributeName.Other)
            {
                if ((seen & name) != 0)
                {
                    return false;
                }

                seen |= name;
            }

            Next();
            switch (name)
            {
                case AttributeName.Remote: known.Remote = StringOrNull(); break;
                case AttributeName.DurationMillis:
                    if (!TryMilliseconds(out known.DurationMillis))
                    {
                        return false;
                    }

                    break;
                case AttributeName.Namespace: ns = StringOrNull(); break;
                case AttributeName.NamespaceLong: namespaceAttr = StringOrNull(); break;
                case AttributeName.PlanSummary: known.PlanSummary = StringOrNull(); break;
                case AttributeName.AppName: appName = StringOrNull(); break;
                case AttributeName.Database: db = StringOrNull(); break;
                case AttributeName.AuthenticationDatabase: authenticationDb = StringOrNull(); break;
                case AttributeName.Principal: principal = StringOrNull(); break;
                case AttributeName.User:
                    // Either "name" or {"user": "name", "db": "admin"}.
                    if (_reader.TokenType == JsonTokenType.StartObject)
                    {
                        var had = db is not null;
                        if (!ReadChildren("user"u8, out user, "db"u8, out var userDb))
                        {
                            return false;
                        }

                        db = had ? db : userDb;
                    }
                    else
                    {
                        user = StringOrNull();
                    }

                    break;
                case AttributeName.Command:
                    if (_reader.TokenType == JsonTokenType.StartObject)
                    {
                        if (!ReadCommand(out var commandName, out commandDb))
                        {
                            return false;
                        }

                        known.CommandName = commandName;
                    }
                    else
                    {
                        _reader.Skip();
                    }

                    break;
                case AttributeName.Document:
                    // "client metadata" entries carry the driver handshake: doc.application.name.
                    if (_reader.TokenType == JsonTokenType.StartObject)
                    {
                        if (!ReadClientApplication(ref clientAppName))
                        {
                            return false;
                        }
                    }
                    else
                    {
                        _reader.Skip();
                    }

                    break;
                default:
                    _reader.Skip();
                    break;
            }
        }

        known.Namespace = ns ?? namespaceAttr;
        known.AppName = appName ?? clientAppName;
        known.User = user ?? principal;
        known.Database = db ?? commandDb ?? MongodbWellKnownFields.DatabaseOf(known.Namespace) ?? authenticationDb;
        return true;
    }

    /// <summary>The command document: its first name, and its "$db".</summary>
    private bool ReadCommand(out string? commandName, out string? commandDb)
    {
        commandName = null;
        commandDb = null;
        var first = true;
        var dbs = 0;
        while (Next() == JsonTokenType.PropertyName)
        {
            if (_reader.ValueIsEscaped)
            {
                return false;
            }

            if (first)
            {
                commandName = _reader.GetString();
                first = false;
            }

            var isDb = _reader.ValueTextEquals("$db"u8);
            Next();
            if (isDb && ++dbs > 1)
            {
                return false;
            }

            if (isDb)
            {
                commandDb = StringOrNull();
            }
            else
            {
                _reader.Skip();
            }
        }

        return true;
    }

    /// <summary>doc.application.name, set only when doc has an "application" object.</summary>
    private bool ReadClientApplication(ref string? clientAppName)
    {
        var applications = 0;
        while (Next() == JsonTokenType.PropertyName)
        {
            if (_reader.ValueIsEscaped)
            {
                return false;
            }

            var isApplication = _reader.ValueTextEquals("application"u8);
            Next();
            if (!isApplication)
            {
                _reader.Skip();
                continue;
            }

            if (++applications > 1)
            {
                return false;
            }

            if (_reader.TokenType != JsonTokenType.StartObject)
            {
                _reader.Skip();
                continue;
            }

            if (!ReadChildren("name"u8, out clientAppName, default, out _))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads an object for the string values of up to two names (null when absent or not a string).</summary>
    private bool ReadChildren(ReadOnlySpan<byte> firstName, out string? first, ReadOnlySpan<byte> secondName, out string? second)
    {
        first = null;
        second = null;
        bool firstSeen = false, secondSeen = false;
        while (Next() == JsonTokenType.PropertyName)
        {
            if (_reader.ValueIsEscaped)
            {
                return false;
            }

            var isFirst = _reader.ValueTextEquals(firstName);
            var isSecond = !isFirst && !secondName.IsEmpty && _reader.ValueTextEquals(secondName);
            Next();
            if ((isFirst && firstSeen) || (isSecond && secondSeen))
            {
                return false;
            }

            if (isFirst)
            {
                firstSeen = true;
                first = StringOrNull();
            }
            else if (isSecond)
            {
                secondSeen = true;
                second = StringOrNull();
            }
            else
            {
                _reader.Skip();
            }
        }

        return true;
    }

    private long? ReadId()
    {
        if (_reader.TokenType == JsonTokenType.Number)
        {
            return _reader.TryGetInt64(out var id) ? id : null;
        }

        _reader.Skip();
        return null;
    }

    private IReadOnlyList<string> ReadTags()
    {
        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            _reader.Skip();
            return [];
        }

        var tags = new List<string>();
        while (Next() != JsonTokenType.EndArray)
        {
            if (_reader.TokenType == JsonTokenType.String)
            {
                tags.Add(_reader.GetString()!);
            }
            else
            {
                _reader.Skip();
            }
        }

        return tags;
    }

    /// <summary>A whole number as is; a fraction is left to the document reading, which rounds it.</summary>
    private bool TryMilliseconds(out long? milliseconds)
    {
        milliseconds = null;
        if (_reader.TokenType != JsonTokenType.Number)
        {
            _reader.Skip();
            return true;
        }

        if (!_reader.TryGetInt64(out var whole))
        {
            return false;
        }

        milliseconds = whole;
        return true;
    }

    /// <summary>The current string read as an ISO time; a time fits on the stack, so it needs no string of its own.</summary>
    private readonly bool TryParseIsoString(out DateTimeOffset time)
    {
        const int MaxTimeLength = 64;
        if (_reader.ValueSpan.Length > MaxTimeLength)
        {
            return MongodbTimestamp.TryParseIso(_reader.GetString(), out time);
        }

        Span<char> text = stackalloc char[MaxTimeLength];
        var length = _reader.CopyString(text);
        return MongodbTimestamp.TryParseIso(text[..length], out time);
    }

    /// <summary>The severity; the ones mongod writes are shared strings rather than new ones.</summary>
    private string? Severity()
    {
        if (_reader.TokenType != JsonTokenType.String || _reader.ValueIsEscaped)
        {
            return StringOrNull();
        }

        return _reader.ValueSpan switch
        {
            [(byte)'I'] => "I",
            [(byte)'W'] => "W",
            [(byte)'E'] => "E",
            [(byte)'F'] => "F",
            [(byte)'D', (byte)'1'] => "D1",
            [(byte)'D', (byte)'2'] => "D2",
            _ => _reader.GetString(),
        };
    }

    private string? StringOrNull()
    {
        if (_reader.TokenType == JsonTokenType.String)
        {
            return _reader.GetString();
        }

        _reader.Skip();
        return null;
    }

    /// <summary>The current value as written in the line, e.g. an object with its braces or a string with its quotes.</summary>
    private string RawText()
    {
        var start = (int)_reader.TokenStartIndex;
        _reader.Skip();
        return Encoding.UTF8.GetString(_utf8[start..(int)_reader.BytesConsumed]);
    }

    private JsonTokenType Next()
    {
        if (!_reader.Read())
        {
            throw new JsonException();
        }

        return _reader.TokenType;
    }

    private static RootName Root(ref Utf8JsonReader reader) => reader.ValueSpan switch
    {
        [(byte)'t'] => RootName.Time,
        [(byte)'s'] => RootName.Severity,
        [(byte)'c'] => RootName.Component,
        [(byte)'i', (byte)'d'] => RootName.Id,
        [(byte)'c', (byte)'t', (byte)'x'] => RootName.Context,
        [(byte)'m', (byte)'s', (byte)'g'] => RootName.Message,
        [(byte)'s', (byte)'v', (byte)'c'] => RootName.Service,
        var name when name.SequenceEqual("attr"u8) => RootName.Attributes,
        var name when name.SequenceEqual("tags"u8) => RootName.Tags,
        var name when name.SequenceEqual("truncated"u8) => RootName.Truncated,
        var name when name.SequenceEqual("size"u8) => RootName.Size,
        _ => RootName.Other,
    };

    private static AttributeName Attribute(ref Utf8JsonReader reader)
    {
        var name = reader.ValueSpan;
        return name.SequenceEqual("remote"u8) ? AttributeName.Remote
            : name.SequenceEqual("durationMillis"u8) ? AttributeName.DurationMillis
            : name.SequenceEqual("ns"u8) ? AttributeName.Namespace
            : name.SequenceEqual("namespace"u8) ? AttributeName.NamespaceLong
            : name.SequenceEqual("planSummary"u8) ? AttributeName.PlanSummary
            : name.SequenceEqual("appName"u8) ? AttributeName.AppName
            : name.SequenceEqual("db"u8) ? AttributeName.Database
            : name.SequenceEqual("authenticationDatabase"u8) ? AttributeName.AuthenticationDatabase
            : name.SequenceEqual("principalName"u8) ? AttributeName.Principal
            : name.SequenceEqual("user"u8) ? AttributeName.User
            : name.SequenceEqual("command"u8) ? AttributeName.Command
            : name.SequenceEqual("doc"u8) ? AttributeName.Document
            : AttributeName.Other;
    }

    [Flags]
    private enum RootName
    {
        None = 0,
        Time = 1,
        Severity = 2,
        Component = 4,
        Context = 8,
        Message = 16,
        Service = 32,
        Id = 64,
        Tags = 128,
        Truncated = 256,
        Size = 512,
        Attributes = 1024,
        Other = 2048,
    }

    [Flags]
    private enum AttributeName
    {
        None = 0,
        Remote = 1,
        DurationMillis = 2,
        Namespace = 4,
        NamespaceLong = 8,
        PlanSummary = 16,
        AppName = 32,
        Database = 64,
        AuthenticationDatabase = 128,
        Principal = 256,
        User = 512,
        Command = 1024,
        Document = 2048,
        Other = 4096,
    }
}

/// <summary>The top-level fields of a JSON log line as <see cref="MongodbJsonLineReader"/> found them.</summary>
internal struct MongodbLineFields
{
    /// <summary>Why the line is not an entry (without the "MongoDB JSON line " prefix); null when it is one.</summary>
    public string? Problem;
    public bool HasTime;
    public DateTimeOffset Timestamp;
    public string? Severity;
    public string? Component;
    public string? Context;
    public string? Message;
    public string? Service;
    public long? Id;
    public IReadOnlyList<string>? Tags;
    public string? TruncatedJson;
    public string? SizeJson;
    public string? AttributesJson;
    public MongodbWellKnownFields Known;
}
