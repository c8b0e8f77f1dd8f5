using Streams.Contracts.Curated;

namespace Streams.Contracts.Tests.Documents;

/// <summary>One hand-written curated record per source, shaped like what the normalisers produce.</summary>
internal static class CuratedExamples
{
    public static readonly DateTime EventTime = new DateTime(2026, 11, 22, 16, 13, 34, DateTimeKind.Utc).AddTicks(731_960);
    public static readonly DateTime Ingested = new(2026, 11, 22, 16, 13, 35, 73, DateTimeKind.Utc);

    public static MysqlCurated Mysql() => new()
    {
        timestamp = EventTime,
        @event = new Event
        {
            id = "mysql-1",
            kind = "event",
            category = ["database"],
            type = ["info"],
            outcome = "success",
            dataset = "mysql.slowlog",
            module = "mysql",
            duration = 2_475_469_000,
            ingested = Ingested,
        },
        message = "SELECT SLEEP(2.5);",
        source = new Source { ip = "127.0.0.1", address = "localhost", geo = new Geo(), @as = new As() },
        user = new User { name = "app" },
        mysql = new MysqlFields { thread_id = 31, query = "SELECT SLEEP(2.5);", query_time_us = 2_475_469, lock_time_us = 0, rows_sent = 1, rows_examined = 0, db = "shop" },
    };

    public static MongodbCurated Mongodb() => new()
    {
        timestamp = EventTime,
        @event = new Event { id = "mongo-1", kind = "event", category = ["database"], type = ["connection", "start"], dataset = "mongodb.log", module = "mongodb", ingested = Ingested },
        log = new Log { level = "info" },
        message = "Connection accepted",
        source = new Source { ip = "127.0.0.1", port = 52236, address = "127.0.0.1:52236" },
        mongodb = new MongodbFields { severity = "I", component = "NETWORK", context = "listener", id = 22943, attr = "{\"remote\":\"127.0.0.1:52236\",\"connectionCount\":1}", tags = [] },
    };

    public static LaravelCurated Laravel() => new()
    {
        timestamp = EventTime,
        @event = new Event { id = "laravel-1", kind = "event", category = ["web"], type = ["error"], outcome = "failure", dataset = "laravel.log", module = "laravel", ingested = Ingested },
        log = new Log { level = "error" },
        message = "SQLSTATE[08006] connection failed",
        error = new Error { type = "Illuminate\\Database\\QueryException", message = "SQLSTATE[08006]", stack_trace = "#0 /var/www/a.php(1): f()\n#1 {main}" },
        labels = new Dictionary<string, string> { ["origin"] = "web-1:/var/www/storage/logs/laravel.log" },
        laravel = new LaravelFields { channel = "production", context = "{\"userId\":7}", exception = new LaravelException { @class = "Illuminate\\Database\\QueryException", code = "7", line = 760 } },
    };

    public static ElbCurated Elb() => new()
    {
        timestamp = EventTime,
        @event = new Event { id = "elb-1", kind = "event", category = ["web"], type = ["access"], outcome = "success", dataset = "aws.elb", module = "aws", duration = 1_000_000, ingested = Ingested },
        source = new Source
        {
            ip = "192.168.131.39",
            port = 2817,
            geo = new Geo { country_iso_code = "SE", location = new GeoPoint { lat = 59.3293, lon = 18.0686 } },
        },
        http = new Http { request = new HttpRequest { method = "GET", bytes = 34 }, response = new HttpResponse { status_code = 200, bytes = 366 }, version = "1.1" },
        url = new Url { original = "http://www.example.com:80/?a=1", path = "/", query = "a=1", domain = "www.example.com", port = 80, scheme = "http" },
        trace = new Trace { id = "1-58337262-36d228ad5d99923122bbe354" },
        aws = new Aws { elb = new AwsElb { kind = "application", backend_ip = "10.0.0.1", backend_port = 80, request_processing_time_sec = 0.0, actions_executed = ["forward"], request_creation_time = EventTime.AddSeconds(-12) } },
    };
}
