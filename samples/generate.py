#!/usr/bin/env python3
"""Writes the demo inputs in samples/ (deterministic: same seed, same bytes).

Two days of traffic across midnight UTC (2026-11-21 and 2026-11-22) for a small SaaS: an ALB, a Classic ELB and an
NLB in front of a Laravel API, a MariaDB and a MongoDB. Deliberate duplicates (the same entry shipped twice) and
malformed entries are mixed in; expected.json counts them so that the end-to-end test of `streams demo` can assert
that each event is indexed once, each duplicate dropped and each malformed entry dead-lettered.

The GeoIP databases samples/geoip/demo-{city,asn}.mmdb are written from demo-{city,asn}.json with MaxMind's writer
(tools/geoip/write-mmdb.pl; Debian: libmaxmind-db-writer-perl); every client address below is in them except the
private ones.

Usage: python3 samples/generate.py   (run from anywhere; rewrites samples/{laravel,mysql,mongodb,elb,expected.json}
and the two .mmdb files)
"""
import gzip
import io
import json
import os
import random
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261121)
START = datetime(2026, 11, 21, 0, 0, 0, tzinfo=timezone.utc)
SPAN = timedelta(days=2)

# Clients from the networks in geoip/networks.json: several countries, IPv4 and IPv6, plus private addresses.
CLIENTS = [
    "81.2.69.160", "81.2.69.142", "89.160.20.115", "89.160.20.120", "175.16.199.23", "216.160.83.58",
    "2.125.160.217", "67.43.156.14", "202.196.224.9", "149.101.100.7", "186.30.236.12", "41.74.160.3",
    "2001:480:10::1f", "2a02:cf40:add::5", "2400:cb00:2048::9", "2c0f:f248::1", "10.0.12.7", "192.168.1.20",
]
USERS = ["alice", "bob", "carol", "dave", "erin", "frank"]
PATHS = ["/api/v1/invoices", "/api/v1/invoices/{id}", "/api/v1/customers", "/api/v1/login", "/api/v1/reports/monthly",
         "/health", "/api/v1/payments", "/api/v1/search?q=boots&page={id}", "/static/app.js", "/api/v1/orders/{id}"]


def times(n):
    """n increasing instants over the two days, denser around midnight between them."""
    out = []
    for _ in range(n):
        if rng.random() < 0.25:
            t = START + timedelta(days=1) + timedelta(seconds=rng.uniform(-1800, 1800))
        else:
            t = START + timedelta(seconds=rng.uniform(0, SPAN.total_seconds() - 1))
        out.append(t)
    out.sort()
    return out


class Counts:
    def __init__(self):
        self.events = 0
        self.duplicates = 0
        self.malformed = 0

    def json(self):
        return {"events": self.events, "duplicates": self.duplicates, "malformed": self.malformed}


def write(path, data, binary=False):
    full = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb" if binary else "w", encoding=None if binary else "utf-8", newline=None if binary else "\n") as f:
        f.write(data)


# ---------------------------------------------------------------- Laravel
def laravel():
    c = Counts()
    files = {}
    exceptions = [
        ("Illuminate\\Database\\QueryException", "SQLSTATE[40001]: Serialization failure: 1213 Deadlock found when trying to get lock", "/var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php", 760),
        ("Symfony\\Component\\HttpKernel\\Exception\\NotFoundHttpException", "The route api/v1/invoice could not be found.", "/var/www/html/vendor/laravel/framework/src/Illuminate/Routing/AbstractRouteCollection.php", 44),
        ("ErrorException", "Undefined array key \"currency\"", "/var/www/html/app/Services/Billing/InvoiceTotals.php", 57),
        ("GuzzleHttp\\Exception\\ConnectException", "cURL error 28: Operation timed out after 5001 milliseconds", "/var/www/html/vendor/guzzlehttp/guzzle/src/Handler/CurlFactory.php", 210),
        ("TypeError", "App\\Services\\Ledger::post(): Argument #1 ($amount) must be of type int, string given", "/var/www/html/app/Services/Ledger.php", 31),
    ]
    for i, t in enumerate(times(1400)):
        day = t.strftime("%Y-%m-%d")
        stamp = t.strftime("%Y-%m-%d %H:%M:%S")
        r = rng.random()
        ip = rng.choice(CLIENTS)
        user = rng.choice(USERS)
        if r < 0.62:
            entry = f'[{stamp}] production.INFO: Request handled {{"method":"GET","path":"{rng.choice(PATHS).format(id=i)}","status":200,"user":"{user}","ip":"{ip}","duration_ms":{rng.randint(3, 900)},"request_id":"req-{i:06d}"}}'
        elif r < 0.72:
            entry = f'[{stamp}] production.WARNING: Login failed for {user}@example.com {{"ip":"{ip}","password":"hunter{i}","attempt":{rng.randint(1, 5)},"request_id":"req-{i:06d}"}}'
        elif r < 0.78:
            entry = f'[{stamp}] production.DEBUG: Calling payment provider with Authorization: Bearer sk_live_{rng.getrandbits(64):016x} for order {i} {{"ip":"{ip}"}}'
        else:
            cls, msg, file, line = rng.choice(exceptions)
            entry = (f'[{stamp}] production.ERROR: {msg} {{"userId":{rng.randint(1, 400)},"exception":"[object] ({cls}(code: 0): {msg} at {file}:{line})\n'
                     f'[stacktrace]\n'
                     f'#0 /var/www/html/app/Http/Controllers/InvoiceController.php({rng.randint(20, 200)}): App\\\\Services\\\\Billing\\\\InvoiceTotals->compute()\n'
                     f'#1 /var/www/html/vendor/laravel/framework/src/Illuminate/Routing/Controller.php(54): App\\\\Http\\\\Controllers\\\\InvoiceController->show()\n'
                     f'#2 /var/www/html/public/index.php(51): Illuminate\\\\Foundation\\\\Http\\\\Kernel->handle()\n'
                     f'#3 {{main}}\n"}} ')
        lines = files.setdefault(day, [])
        lines.append(entry)
        c.events += 1
        if rng.random() < 0.04:  # the same entry shipped twice
            lines.append(entry)
            c.duplicates += 1
        if rng.random() < 0.01:  # an entry whose level Monolog never writes
            lines.append(f'[{stamp}] production.LOUD: level that Monolog does not have {i}')
            c.malformed += 1
    for day, lines in files.items():
        write(f"laravel/laravel-{day}.log", "\n".join(lines) + "\n")
    return c


# ---------------------------------------------------------------- MySQL (MariaDB file logs)
def mysql():
    general = Counts()
    slow = Counts()
    banner = ("/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1-log (Debian 12). started with:\n"
              "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\n"
              "Time\t\t    Id Command\tArgument\n")
    out = [banner]
    last_printed = None
    statements = [
        "SELECT id, total, currency FROM invoices WHERE customer_id = {n} ORDER BY created_at DESC LIMIT 20",
        "UPDATE customers SET last_seen_at = NOW() WHERE id = {n}",
        "INSERT INTO audit_log (actor, action, created_at) VALUES ('api', 'invoice.view.{n}', NOW())",
        "SELECT COUNT(*) FROM orders WHERE status = 'open' AND shop_id = {n}",
        "UPDATE users SET password = 'pbkdf2$260000${n}abcdef' WHERE id = {n}",
    ]
    thread = 10
    for i, t in enumerate(times(1100)):
        stamp = t.strftime("%y%m%d ") + f"{t.hour:>2}" + t.strftime(":%M:%S")  # MariaDB pads the hour with a space
        if rng.random() < 0.08:
            thread += 1
            user = rng.choice(USERS)
            cmd, arg = "Connect", f"{user}@{rng.choice(['localhost', '10.0.12.7', '10.0.13.4'])} on shop using TCP/IP"
        else:
            cmd, arg = "Query", rng.choice(statements).format(n=i)
        prefix = stamp if stamp != last_printed else "\t"
        if prefix == stamp:
            line = f"{stamp}\t{thread:>6} {cmd}\t{arg}\n"
        else:
            line = f"\t\t{thread:>6} {cmd}\t{arg}\n"
        last_printed = stamp
        out.append(line)
        general.events += 1
        if rng.random() < 0.008:  # a corrupt time; the next entry prints its own
            out.append(f"261399 27:61:00\t{thread:>6} Query\tSELECT {i}\n")
            general.malformed += 1
            last_printed = None
    write("mysql/general.log", "".join(out))

    out = [banner]
    last_time = None
    for i, t in enumerate(times(320)):
        time_line = t.strftime("%y%m%d %H:%M:%S")
        q = rng.uniform(0.2, 12.0)
        db = rng.choice(["shop", "billing"])
        stmt = rng.choice([
            f"SELECT c.id, SUM(i.total) FROM customers c JOIN invoices i ON i.customer_id = c.id WHERE i.created_at > '2026-10-{1 + i % 28:02d}' GROUP BY c.id",
            f"SELECT * FROM orders WHERE note LIKE '%refund {i}%'",
            f"DELETE FROM sessions WHERE last_activity < {1795000000 + i}",
        ])
        malformed = rng.random() < 0.02
        entry = ""
        if time_line != last_time:
            entry += f"# Time: {time_line}\n"
            last_time = time_line
        entry += (f"# User@Host: app[app] @ {rng.choice(['localhost [127.0.0.1]', 'app-1.internal [10.0.12.7]'])}\n"
                  f"# Thread_id: {100 + i}  Schema: {db}  QC_hit: No\n"
                  f"# Query_time: {'slow' if malformed else f'{q:.6f}'}  Lock_time: 0.000{rng.randint(10, 99)}  Rows_sent: {rng.randint(0, 500)}  Rows_examined: {rng.randint(500, 900000)}\n"
                  f"# Rows_affected: 0  Bytes_sent: {rng.randint(100, 90000)}\n"
                  f"SET timestamp={int(t.timestamp())};\n"
                  f"{stmt};\n")
        out.append(entry)
        if malformed:
            slow.malformed += 1
        else:
            slow.events += 1
    write("mysql/slow.log", "".join(out))
    return general, slow


# ---------------------------------------------------------------- MongoDB (4.4+ JSON log)
def mongodb():
    c = Counts()
    out = []
    conn = 100
    for i, t in enumerate(times(1200)):
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}+00:00"
        ip = rng.choice(CLIENTS)
        r = rng.random()
        if r < 0.35:
            conn += 1
            line = {"t": {"$date": stamp}, "s": "I", "c": "NETWORK", "id": 22943, "ctx": "listener", "msg": "Connection accepted",
                    "attr": {"remote": f"[{ip}]:{rng.randint(30000, 60000)}" if ":" in ip else f"{ip}:{rng.randint(30000, 60000)}",
                             "uuid": f"{rng.getrandbits(128):032x}", "connectionId": conn, "connectionCount": rng.randint(3, 40)}}
        elif r < 0.75:
            ms = rng.randint(100, 8000)
            coll = rng.choice(["orders", "carts", "events", "sessions"])
            line = {"t": {"$date": stamp}, "s": "I", "c": "COMMAND", "id": 51803, "ctx": f"conn{rng.randint(100, conn)}", "msg": "Slow query",
                    "attr": {"type": "command", "ns": f"shop.{coll}", "appName": "laravel-api",
                             "command": {"find": coll, "filter": {"customerId": rng.randint(1, 400)}, "limit": 50, "$db": "shop"},
                             "planSummary": rng.choice(["COLLSCAN", "IXSCAN { customerId: 1 }"]), "keysExamined": rng.randint(0, 5000),
                             "docsExamined": rng.randint(0, 200000), "nreturned": rng.randint(0, 50), "numYields": rng.randint(0, 90),
                             "remote": f"{ip}:{rng.randint(30000, 60000)}" if ":" not in ip else f"[{ip}]:{rng.randint(30000, 60000)}",
                             "durationMillis": ms}}
        elif r < 0.9:
            line = {"t": {"$date": stamp}, "s": "I", "c": "NETWORK", "id": 22944, "ctx": f"conn{rng.randint(100, conn)}", "msg": "Connection ended",
                    "attr": {"remote": f"{ip}:{rng.randint(30000, 60000)}" if ":" not in ip else f"[{ip}]:{rng.randint(30000, 60000)}",
                             "connectionId": rng.randint(100, conn), "connectionCount": rng.randint(3, 40)}}
        else:
            line = {"t": {"$date": stamp}, "s": rng.choice(["W", "E"]), "c": "ACCESS", "id": 20249, "ctx": f"conn{rng.randint(100, conn)}", "msg": "Authentication failed",
                    "attr": {"mechanism": "SCRAM-SHA-256", "principalName": rng.choice(USERS), "authenticationDatabase": "admin",
                             "remote": f"{ip}:{rng.randint(30000, 60000)}" if ":" not in ip else f"[{ip}]:{rng.randint(30000, 60000)}",
                             "error": "AuthenticationFailed: SCRAM authentication failed, storedKey mismatch"}}
        text = json.dumps(line, separators=(",", ":"))
        out.append(text)
        c.events += 1
        if rng.random() < 0.05:
            out.append(text)
            c.duplicates += 1
        if rng.random() < 0.01:  # a line cut off mid-write
            out.append(text[: rng.randint(20, len(text) - 5)])
            c.malformed += 1
    write("mongodb/mongod.log", "\n".join(out) + "\n")
    return c


# ---------------------------------------------------------------- ELB access logs (gzip objects, AWS layout)
def elb():
    c = Counts()
    account, region = "123456789012", "eu-west-1"
    agents = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
              "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
              "curl/8.5.0", "okhttp/4.12.0", "python-requests/2.32.3"]

    def endpoint(ip):
        return f"{ip}:{rng.randint(1024, 65535)}" if ":" not in ip else f"{ip}:{rng.randint(1024, 65535)}"

    def alb(t, i):
        ip = rng.choice(CLIENTS)
        status = rng.choices([200, 201, 301, 404, 500, 502, 503], [70, 6, 4, 10, 4, 3, 3])[0]
        method = rng.choice(["GET", "GET", "GET", "POST", "PUT", "DELETE"])
        path = rng.choice(PATHS).format(id=i)
        req_t = f"{rng.uniform(0, 0.002):.3f}"
        tgt_t = f"{rng.uniform(0.001, 2.5):.3f}" if status != 502 else "-1"
        res_t = f"{rng.uniform(0, 0.001):.3f}"
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}Z"
        created = (t - timedelta(milliseconds=rng.randint(1, 3000)))
        created_s = created.strftime("%Y-%m-%dT%H:%M:%S.") + f"{created.microsecond:06d}Z"
        tls = rng.random() < 0.8
        scheme = "https" if tls else "http"
        port = 443 if tls else 80
        return (f'{scheme} {stamp} app/shop-api/50dc6c495c0c9188 {endpoint(ip)} 10.0.{rng.randint(1, 3)}.{rng.randint(2, 250)}:8080 '
                f'{req_t} {tgt_t} {res_t} {status} {status if status != 502 else "-"} {rng.randint(100, 3000)} {rng.randint(200, 90000)} '
                f'"{method} {scheme}://api.shop.example:{port}{path} HTTP/1.1" "{rng.choice(agents)}" '
                f'{"ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2" if tls else "- -"} '
                f'arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/shop-api/73e2d6bc24d8a067 '
                f'"Root=1-{int(t.timestamp()):08x}-{rng.getrandbits(96):024x}" "{"api.shop.example" if tls else "-"}" '
                f'"{f"arn:aws:acm:{region}:{account}:certificate/12345678-1234-1234-1234-123456789012" if tls else "-"}" '
                f'{rng.randint(0, 5)} {created_s} "forward" "-" "-"')

    def classic(t, i):
        ip = rng.choice([x for x in CLIENTS if ":" not in x])
        status = rng.choices([200, 304, 404, 503], [80, 8, 8, 4])[0]
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}Z"
        backend = "-" if status == 503 else f"10.0.2.{rng.randint(2, 250)}:80"
        times_ = "-1 -1 -1" if status == 503 else f"{rng.uniform(0, 0.0002):.6f} {rng.uniform(0.001, 0.9):.6f} {rng.uniform(0, 0.0001):.6f}"
        return (f'{stamp} legacy-web {ip}:{rng.randint(1024, 65535)} {backend} {times_} {status} {"-" if status == 503 else status} 0 {rng.randint(0, 40000)} '
                f'"GET http://www.shop.example:80/catalog/{i} HTTP/1.1" "{rng.choice(agents)}" - -')

    def nlb(t, i):
        ip = rng.choice(CLIENTS)
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S")
        return (f'tls 2.0 {stamp} net/db-proxy/c6e77e28c25b2234 g3d4b5e8bb8464cd {endpoint(ip)} 10.0.3.{rng.randint(2, 250)}:5432 '
                f'{rng.randint(1, 900)} {rng.randint(1, 40)} {rng.randint(100, 9000)} {rng.randint(100, 90000)} - '
                f'arn:aws:acm:{region}:{account}:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 - ECDHE-RSA-AES128-SHA tlsv12 - '
                f'db-proxy-c6e77e28c25b2234.elb.{region}.amazonaws.com - - - {created_nlb(t)}')

    def created_nlb(t):
        return (t - timedelta(seconds=rng.randint(1, 50))).strftime("%Y-%m-%dT%H:%M:%S")

    # ELB writes an object every 5 minutes per load balancer; the samples keep one an hour to stay small. Names follow AWS's pattern.
    objects = {}
    kinds = [("app.shop-api.50dc6c495c0c9188", alb, 0.7), ("legacy-web", classic, 0.15), ("net.db-proxy.c6e77e28c25b2234", nlb, 0.15)]
    previous = {}  # per load balancer: ELB itself only ever repeats a line of the same load balancer
    for i, t in enumerate(times(1600)):
        name, make, _ = rng.choices(kinds, [k[2] for k in kinds])[0]
        slot = t.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        lines = objects.setdefault((slot, name), [])
        line = make(t, i)
        lines.append(line)
        c.events += 1
        if rng.random() < 0.04 and name in previous:  # a line delivered again, maybe in a later object
            lines.append(previous[name])
            c.duplicates += 1
        if rng.random() < 0.008:
            lines.append(f"{line[:rng.randint(10, 40)]}")  # a line cut short
            c.malformed += 1
        previous[name] = line
    root = os.path.join(HERE, "elb")
    shutil.rmtree(root, ignore_errors=True)
    for n, ((slot, name), lines) in enumerate(sorted(objects.items())):
        key = (f"AWSLogs/{account}/elasticloadbalancing/{region}/{slot:%Y/%m/%d}/"
               f"{account}_elasticloadbalancing_{region}_{name}_{slot:%Y%m%dT%H%MZ}_10.0.1.17_{n:08x}.log.gz")
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
            gz.write(("\n".join(lines) + "\n").encode("utf-8"))
        write(os.path.join("elb", key), buf.getvalue(), binary=True)
    return c


def main():
    for d in ["laravel", "mysql", "mongodb"]:
        shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)
    expected = {
        "laravel": laravel().json(),
        "mysql.general": None,
        "mysql.slow": None,
        "mongodb": mongodb().json(),
        "elb": elb().json(),
    }
    g, s = mysql()
    expected["mysql.general"] = g.json()
    expected["mysql.slow"] = s.json()
    write("expected.json", json.dumps(expected, indent=2) + "\n")
    writer = os.path.join(HERE, "..", "tools", "geoip", "write-mmdb.pl")
    for name in ["demo-city", "demo-asn"]:
        base = os.path.join(HERE, "geoip", name)
        subprocess.run(["perl", writer, base + ".json", base + ".mmdb"], check=True)
    print(json.dumps(expected, indent=2))


if __name__ == "__main__":
    main()
