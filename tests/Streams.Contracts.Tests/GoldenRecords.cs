using Streams.Contracts.Curated;

namespace Streams.Contracts.Tests;

/// <summary>One realistic curated record per source, built from entries of tests/corpus, for the golden-bytes tests.</summary>
internal static class GoldenRecords
{
    private static readonly DateTime Ingested = new(2026, 11, 22, 16, 20, 0, 125, DateTimeKind.Utc);

    /// <summary>The MariaDB 10.11 slow log entry of tests/corpus/mysql-slowlog-mariadb-10.11.log.</summary>
    public static MysqlCurated Mysql() => new()
    {
        timestamp = new DateTime(2026, 11, 22, 16, 13, 34, DateTimeKind.Utc),
        @event = new Event
        {
            id = "mysql-slow-3f9a1c",
            kind = "event",
            category = ["database"],
            type = ["info"],
            outcome = "success",
            dataset = "mysql.slowlog",
            module = "mysql",
            duration = 300_483_000,
            ingested = Ingested,
        },
        log = new Log { file = new LogFile { path = "/var/log/mysql/mariadb-slow.log" }, offset = 241 },
        message = "SELECT SLEEP(0.3), COUNT(*) FROM expenses WHERE company_id = 7;",
        source = new Source { ip = "127.0.0.1", address = "localhost" },
        user = new User { name = "app" },
        host = new Host { name = "db01" },
        service = new Service { name = "mariadb" },
        mysql = new MysqlFields
        {
            thread_id = 9,
            query = "SELECT SLEEP(0.3), COUNT(*) FROM expenses WHERE company_id = 7;",
            query_time_us = 300_483,
            lock_time_us = 86,
            rows_sent = 1,
            rows_examined = 2,
            rows_affected = 0,
            bytes_sent = 104,
            db = "okt",
            query_cache_hit = false,
        },
    };

    /// <summary>The first line of tests/corpus/mongodb-4.4-json.log.</summary>
    public static MongodbCurated Mongodb() => new()
    {
        timestamp = new DateTime(2021, 3, 22, 21, 21, 20, 349, DateTimeKind.Utc),
        @event = new Event { kind = "event", category = ["database"], type = ["info"], dataset = "mongodb.log", module = "mongodb", ingested = Ingested },
        log = new Log { level = "info", file = new LogFile { path = "/var/log/mongodb/mongod.log" } },
        message = "MongoDB starting",
        host = new Host { name = "6150fe65a89c" },
        service = new Service { name = "mongod" },
        mongodb = new MongodbFields
        {
            severity = "I",
            component = "STORAGE",
            context = "initandlisten",
            id = 4615611,
            attr = """{"pid":1,"port":27017,"dbPath":"/data/db","architecture":"64-bit","host":"6150fe65a89c"}""",
        },
    };

    /// <summary>The first entry of tests/corpus/laravel.log, with its multi-line stack trace.</summary>
    public static LaravelCurated Laravel() => new()
    {
        timestamp = new DateTime(2026, 9, 19, 2, 14, 11, DateTimeKind.Utc),
        @event = new Event { kind = "event", category = ["web"], type = ["error"], outcome = "failure", dataset = "laravel.log", module = "laravel", ingested = Ingested },
        log = new Log { level = "error", file = new LogFile { path = "/var/www/html/storage/logs/laravel.log" }, offset = 0 },
        message = "SQLSTATE[08006] connection to server at \"db01.example.internal\" (10.0.4.11), port 5432 failed",
        error = new Error
        {
            type = "Illuminate\\Database\\QueryException",
            message = "SQLSTATE[08006]",
            stack_trace = "#0 /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php(720): Illuminate\\Database\\Connection->runQueryCallback()\n"
                + "#1 /var/www/html/app/Http/Controllers/BillingController.php(88): Illuminate\\Database\\Connection->select()\n#2 {main}",
        },
        service = new Service { name = "billing" },
        labels = new Dictionary<string, string> { ["environment"] = "production" },
        laravel = new LaravelFields
        {
            channel = "production",
            context = "{}",
            exception = new LaravelException
            {
                @class = "Illuminate\\Database\\QueryException",
                code = "7",
                file = "/var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php",
                line = 760,
            },
        },
    };

    /// <summary>The https line of tests/corpus/elb-alb.log (an AWS documentation example).</summary>
    public static ElbCurated Elb() => new()
    {
        timestamp = new DateTime(2018, 7, 2, 22, 23, 0, DateTimeKind.Utc).AddTicks(1_866_410),
        @event = new Event { kind = "event", category = ["web"], type = ["access"], outcome = "success", dataset = "aws.elb", module = "aws", duration = 171_000_000, ingested = Ingested },
        source = new Source
        {
            ip = "192.168.131.39",
            port = 2817,
            address = "192.168.131.39",
            geo = new Geo { country_iso_code = "DE", country_name = "Germany", city_name = "München", location = new GeoPoint { lat = 48.1374, lon = 11.5755 }, timezone = "Europe/Berlin" },
            @as = new As { number = 3320, organization = new AsOrganization { name = "Deutsche Telekom AG" } },
        },
        http = new Http
        {
            request = new HttpRequest { method = "GET", bytes = 0 },
            response = new HttpResponse { status_code = 200, bytes = 57 },
            version = "1.1",
        },
        url = new Url { original = "https://www.example.com:443/", path = "/", domain = "www.example.com", port = 443, scheme = "https" },
        user_agent = new UserAgent { original = "curl/7.46.0" },
        tls = new Tls { version = "1.2", version_protocol = "tls", cipher = "ECDHE-RSA-AES128-GCM-SHA256", client = new TlsClient { server_name = "www.example.com" } },
        trace = new Trace { id = "1-58337281-1d84f3d73c47ec4e58577259" },
        aws = new Aws
        {
            elb = new AwsElb
            {
                kind = "application",
                type = "https",
                name = "app/my-loadbalancer/50dc6c495c0c9188",
                request_creation_time = new DateTime(2018, 7, 2, 22, 22, 48, 364, DateTimeKind.Utc),
                backend_ip = "10.0.0.1",
                backend_port = 80,
                elb_status_code = 200,
                backend_status_code = 200,
                request_processing_time_sec = 0.086,
                backend_processing_time_sec = 0.048,
                response_processing_time_sec = 0.037,
                received_bytes = 0,
                sent_bytes = 57,
                target_group_arn = "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067",
                trace_id = "Root=1-58337281-1d84f3d73c47ec4e58577259",
                chosen_cert_arn = "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012",
                matched_rule_priority = "1",
                actions_executed = ["authenticate", "forward"],
            },
        },
    };
}
