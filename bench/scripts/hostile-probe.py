#!/usr/bin/env python3
"""Hostile requests against every public route of a running Intake, as an attacker or a broken client
would send them: bad content types and boundaries, truncated and malformed multipart bodies, parts
without names or headers, oversized fields and headers, hostile file names and part types, odd JSON
(deep, huge, wrong types, duplicate keys, trailing data), hostile item URLs, webhook bodies, file
service paths and versions, Inventorum versions, hostile ZIP archives, ranges, methods, Accept
headers, and raw protocol abuse.

  ./mvnw -pl local -am spring-boot:run > run.log 2>&1 &
  python3 bench/scripts/hostile-probe.py
  grep -c 'Unexpected failure\| ERROR ' run.log

Every answer must be a 4xx (or a 2xx, or 503 with Retry-After for capacity) in the route's own
shape: the script flags any other 5xx, a Java stack trace in a body, and a request not answered
within 40 s, prints them, and exits 1 if there were any. The server's log shows what the answers
cannot: errors logged behind a 4xx (grep it as above).

Only loopback traffic: item and webhook URLs point at 127.0.0.1 (which the address rules refuse),
never at another host. INTAKE_PORT (default 8080) and INTAKE_API_TOKEN (default local-dev-token)
name the api and its credential; EXTRA='{"Accept": "..."}' adds headers to every request (a
browser's Accept, for one); ONLY="json_probes zip_probes" runs some groups; SEED fixes the random
bytes; TRACE=file writes each request's time and name to file, to match the server's log lines to requests.
"""

import base64, io, json, os, random, socket, struct, sys, time, warnings, zipfile, zlib

warnings.filterwarnings("ignore", "Duplicate name")

HOST = "127.0.0.1"; PORT = int(os.environ.get("INTAKE_PORT", "8080"))
TOKEN = os.environ.get("INTAKE_API_TOKEN", "local-dev-token")
AUTH = {"Authorization": "Bearer " + TOKEN}
BASIC = {"Authorization": "Basic " + base64.b64encode(b"u:" + TOKEN.encode()).decode()}
random.seed(int(os.environ.get("SEED", "1")))
problems = []; count = 0

def png(w=8, h=8):
    raw = b"".join(b"\x00" + b"\x10\x20\x30" * w for _ in range(h))
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

def raw(data, what, timeout=40, half_close=True):
    """Sends raw bytes (then closes the sending side, unless the request asks the server to close);
    returns (status, headers-text, body)."""
    global count; count += 1
    if os.environ.get("TRACE"): open(os.environ["TRACE"], "a").write(f"{time.time():.3f} {what}\n")
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    t0 = time.time()
    try:
        s.sendall(data)
        if half_close:
            try: s.shutdown(socket.SHUT_WR)
            except OSError: pass
        buf = b""
        while True:
            try: d = s.recv(65536)
            except socket.timeout:
                problems.append(("HANG", what, round(time.time() - t0, 1))); return None
            except ConnectionResetError: break
            if not d: break
            buf += d
            if len(buf) > 4_000_000: break
    finally: s.close()
    if not buf: return (0, "", b"")
    head, _, body = buf.partition(b"\r\n\r\n")
    line = head.split(b"\r\n")[0].decode("latin1")
    try: status = int(line.split()[1])
    except Exception: status = -1
    check(status, head.decode("latin1"), body, what)
    return status, head.decode("latin1"), body

def check(status, head, body, what):
    low = body.lower()
    if status >= 500 and not (status == 503 and "retry-after" in head.lower()):
        problems.append((status, what, body[:300]))
    if b"exception" in low and b"\tat " in body or b"at dev.intake" in body or b"java.lang" in body or b"reactor.core" in body:
        problems.append(("TRACE", what, body[:300]))

def req(method, path, headers=None, body=b"", what=None):
    h = {"Host": f"{HOST}:{PORT}", "Connection": "close"}
    h.update(json.loads(os.environ.get("EXTRA", "{}")))
    h.update(headers or {})
    if body is not None and "Transfer-Encoding" not in h: h.setdefault("Content-Length", str(len(body)))
    lines = [f"{method} {path} HTTP/1.1"] + [f"{k}: {v}" for k, v in h.items()]
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin1", "replace") + (body or b"")
    # Connection: close ends the answer; a client that also closes its sending side is answered by
    # nothing once its upload is under way (the server takes it for a client gone away)
    return raw(data, what or f"{method} {path[:80]} {list(h)[2:]}", half_close=False)

def multipart(parts, boundary="xYz"):
    out = b""
    for p in parts:
        name, filename, ctype, content = p
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
        out += f"--{boundary}\r\nContent-Disposition: {disp}\r\n".encode("utf-8")
        if ctype: out += f"Content-Type: {ctype}\r\n".encode()
        out += b"\r\n" + content + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()

MP = {"Content-Type": "multipart/form-data; boundary=xYz"}
IMG = png()
routes_post_multipart = [
    ("/v1/batch-upload/submit-with-files", "files", AUTH),
    ("/api/vdr/batch-upload/submit-with-files", "files", AUTH),
    ("/attachment/upload?token=" + TOKEN, "file", {}),
    ("/api/images/", "image", AUTH),
    ("/image_upload", "file", {}),
    ("/api_gateway/file-service/rewards/t.png", "file", BASIC),
]
weird_names = ["", "../../etc/passwd", "a\x00b.png", "\u202egnp.exe", "x" * 5000, "\r\nX-Evil: 1", "%00.png", "a\"b.png", "CON", ".", "..", "\udcff" if False else "é.png"]
weird_ctypes = [None, "", "image/png; charset=\x01", "../../x", "image/" + "a" * 3000, "multipart/mixed; boundary=q", "text/html"]
weird_bodies = [b"", b"GIF89a", IMG[:20], IMG + b"\x00" * 100, b"\xff\xd8\xff" + random.randbytes(500), b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
                b"PK\x03\x04" + random.randbytes(100), b"%PDF-1.4\n" + random.randbytes(100), b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"]

def multipart_probes():
    for path, field, auth in routes_post_multipart:
        extra = {"JWT_code": TOKEN} if path.startswith("/image_upload") else {}
        def fields(): return [(k, None, None, v.encode()) for k, v in extra.items()]
        # bad content types and boundaries
        for ct in ["", "multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=" + "b" * 200,
                   "multipart/form-data; boundary=\"unterminated", "application/json", "text/plain", "multipart/form-data; boundary=xYz; charset=foo",
                   "multipart/form-data;;;", "*/*", "multipart/*; boundary=xYz"]:
            req("POST", path, {**auth, "Content-Type": ct} if ct else auth, multipart(fields() + [(field, "a.png", "image/png", IMG)]), what=f"ct {ct!r} {path}")
        # truncated / malformed bodies
        good = multipart(fields() + [(field, "a.png", "image/png", IMG)])
        for cut in [1, 10, len(good) // 2, len(good) - 3]:
            req("POST", path, {**auth, **MP}, good[:cut], what=f"truncated@{cut} {path}")
        req("POST", path, {**auth, **MP}, b"--xYz\r\n\r\n\r\n--xYz--", what=f"part without headers {path}")
        req("POST", path, {**auth, **MP}, b"--xYz\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--xYz--\r\n", what=f"part without name {path}")
        req("POST", path, {**auth, **MP}, b"--xYz\r\nContent-Disposition: form-data; name=" + field.encode() + b"; filename*=UTF-8''%E2%80%AE%00.png\r\n\r\nabc\r\n--xYz--\r\n", what=f"rfc5987 filename {path}")
        req("POST", path, {**auth, **MP}, b"--xYz\r\nContent-Disposition: form-data; name=\"" + field.encode() + b"\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n" + b"X-Pad: " + b"p" * 20000 + b"\r\n\r\n" + IMG + b"\r\n--xYz--\r\n", what=f"huge part header {path}")
        req("POST", path, {**auth, **MP}, multipart(fields() + [(field, "a.png", "image/png", IMG)] * 3), what=f"3 files {path}")
        req("POST", path, {**auth, **MP}, multipart(fields() + [(field, None, None, b"just text")]), what=f"text in file field {path}")
        req("POST", path, {**auth, **MP}, multipart(fields()), what=f"no file {path}")
        for n in weird_names:
            req("POST", path, {**auth, **MP}, multipart(fields() + [(field, n, "image/png", IMG)]), what=f"name {n[:20]!r} {path}")
        for ct in weird_ctypes:
            req("POST", path, {**auth, **MP}, multipart(fields() + [(field, "a.png", ct, IMG)]), what=f"part ct {str(ct)[:20]!r} {path}")
        for b in weird_bodies:
            req("POST", path, {**auth, **MP}, multipart(fields() + [(field, "a.png", "image/png", b)]), what=f"body {b[:8]!r} {path}")
        # text fields hostile
        for k in ["batch_id", "image_names", "callback_url", "id", "category_id", "type", "X-Api-Version", "version", "JWT_code", "metadata"]:
            for v in ["", "-1", "9" * 40, "a" * 70000, "\x00", "null", "[]", "{\"a\":", "1e309", "NaN", "../x", "http://127.0.0.1:9/metadata", "é" * 10]:
                req("POST", path, {**auth, **MP}, multipart([(k, None, None, v.encode())] + fields() + [(field, "a.png", "image/png", IMG)]), what=f"field {k}={v[:12]!r} {path}")
        # headers
        for hv in [{"X-Api-Version": "abc"}, {"X-Api-Version": "-5"}, {"X-Api-Version": "99999999999999999999"}, {"Authorization": "Bearer "},
                   {"Authorization": "Basic ####"}, {"Authorization": "Bearer " + "a" * 9000}, {"Authorization": "Basic " + base64.b64encode(b"nocolon").decode()},
                   {"Idempotency-Key": "x" * 3000}, {"Idempotency-Key": ""}, {"Content-Encoding": "gzip"}, {"Expect": "100-continue"}, {"Transfer-Encoding": "chunked"}]:
            h = {**auth, **MP, **hv}
            body = multipart(fields() + [(field, "a.png", "image/png", IMG)])
            if hv.get("Transfer-Encoding") == "chunked":
                body = f"{len(body):x}\r\n".encode() + body + b"\r\nzz\r\n"
            req("POST", path, h, body, what=f"hdr {str(hv)[:40]} {path}")

def json_probes():
    paths = [("/v1/batch-upload/submit", AUTH), ("/api/vdr/batch-upload/submit", AUTH), ("/batch_image_upload", {}), ("/load_batch_images", {}), ("/v1/webhooks", AUTH)]
    bodies = [b"", b"{", b"[]", b"null", b"\"s\"", b"{}" , b"[" * 100000, b"{\"a\":" * 50000, b"{\"items\":[" + b"{}," * 5000 + b"{}]}",
              b"{\"parameters\":null}", b"{\"parameters\":{\"nursery_id\":\"x\",\"batch_id\":1e400,\"user_id\":-1,\"JWT_code\":\"" + TOKEN.encode() + b"\",\"file_id\":9223372036854775808,\"image_type\":\"\\u0000\"}}",
              b"{\"parameters\":{\"nursery_id\":2,\"batch_id\":1,\"user_id\":1,\"JWT_code\":\"" + TOKEN.encode() + b"\",\"file_id\":1,\"image_type\":\"" + b"R" * 100000 + b"\"}}",
              b"{\"images\":[{\"url\":\"file:///etc/passwd\"},{\"url\":\"http://[::1]:1/\"},{\"url\":\"gopher://x\"},{\"data\":\"!!!\"},{\"url\":\"http://a@b@127.0.0.1/\"}]}",
              b"{\"urls\":[\"http://127.0.0.1:1/\",\"http://0x7f.1/\",\"http://[::ffff:127.0.0.1]/\",\"\"]}",
              b"\xff\xfe{\x00}\x00", b"{\"url\":\"http://127.0.0.1:9/\",\"events\":[\"x\"],\"secret\":1}", b"{\"batch_id\":\"" + b"a" * 200 + b"\"}"]
    for path, auth in paths:
        for ct in ["application/json", "application/json; charset=utf-16", "text/plain", None, "application/x-www-form-urlencoded"]:
            for b in bodies:
                h = dict(auth)
                if ct: h["Content-Type"] = ct
                req("POST", path, h, b, what=f"json {b[:20]!r} ct={ct} {path}")

def get_probes():
    paths = ["/v1/batch-upload/status/", "/v1/batch-upload/status/%00", "/v1/batch-upload/status/" + "a" * 5000, "/v1/batch-upload/status/..%2F..%2Fx",
             "/v1/batch-upload/status/x/events", "/v1/batch-upload/status/%C0%AE%C0%AE", "/api/vdr/batch-upload/status/nope?x=" + "y" * 6000,
             "/i/", "/i/%2e%2e/%2e%2e/etc/passwd", "/i/local/../../x", "/i/" + "k/" * 2000, "/i/local/nope.png", "/i/%00",
             "/f/a/b/c", "/f/local/PUBLIC/x", "/f/local/PRIVATE/x/y?expires=1&signature=zz", "/f/local/PUBLIC/x?expires=99999999999999999999999&signature=",
             "/api_gateway/file-service/rewards", "/api_gateway/file-service/rewards/x.png?version=-1", "/api_gateway/file-service/rewards/x.png?version=abc",
             "/api_gateway/file-service/rewards/x.png?metadata=true&version=99999999999999999999", "/api_gateway/file-service/" + "n" * 3000,
             "/load_batch_images?nursery_id=x&batch_id=&user_id=1&JWT_code=" + TOKEN, "/load_batch_images?JWT_code=%00", "/load_batch_images",
             "/v1/webhooks/%00", "/v1/webhooks/" + "9" * 40, "/v1/webhooks/x/deliveries?limit=-1&cursor=%FF", "/console/../../etc/passwd", "/console/%2e%2e%2fpom.xml",
             "/swagger-ui/../x", "/v3/api-docs?group=%00", "/nope", "/" + "%" * 10, "/?" + "a=1&" * 3000]
    for p in paths:
        for auth in [AUTH, BASIC, {}]:
            req("GET", p, auth)
    for rng in ["bytes=-0", "bytes=0-0,1-1,2-2", "bytes=999999999999999999999-", "bytes=5-1", "bytes=abc", "items=0-1", "bytes=" + ",".join(f"{i}-{i}" for i in range(500))]:
        req("GET", "/i/local/nope.png", {"Range": rng})
    for m in ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "HEAD"]:
        for p in ["/v1/batch-upload/submit", "/image_upload", "/i/x", "/api_gateway/file-service/rewards/x.png", "/v1/webhooks/abc", "/attachment/upload"]:
            req(m, p, AUTH, b"" if m != "HEAD" else None)
    for p in ["/v1/batch-upload/nope/retry", "/v1/batch-upload/" + "a" * 100 + "/retry", "/v1/webhooks/abc/rotate-secret", "/v1/webhooks/abc/test", "/v1/webhooks/abc/deliveries/zz/redeliver"]:
        req("POST", p, {**AUTH, "Content-Type": "application/json"}, b"{}")
    req("DELETE", "/api_gateway/file-service/rewards/x.png?version=abc", BASIC, b"")
    req("DELETE", "/api_gateway/file-service/rewards/x.png", BASIC, b"")

def protocol_probes():
    raw(b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X: " + b"a" * 100000 + b"\r\n\r\n", "100 KB header")
    raw(b"POST /v1/batch-upload/submit HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer " + TOKEN.encode() + b"\r\n\r\n0\r\n\r\n", "CL+TE")
    raw(b"POST /v1/batch-upload/submit HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", "CL -1")
    raw(b"POST /v1/batch-upload/submit HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", "CL huge")
    raw(b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", "70 KB URI")
    raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + random.randbytes(60), "TLS hello")
    raw(b"GET / HTTP/9.9\r\n\r\n", "HTTP/9.9")
    raw(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "h2 preface")
    raw(random.randbytes(4000), "random bytes")

J = {**AUTH, "Content-Type": "application/json"}
vals = ["", None, 0, -1, 1e308, 2**63, -2**63-1, True, [], {}, "x" * 70000, "\u0000", "\ud800", "javascript:alert(1)", "http://", "http://:80/", "http://[::1", "http://127.0.0.1:9/" + "a" * 9000,
        "https://user:pass@127.0.0.1:65536/", "http://127.0.0.1:0/", "ftp://x/", "data:image/png;base64,AAAA", "HTTP://127.0.0.1:9/A.PNG", "http://127.0.0 .1:9/", "http://例子.127.0.0.1/a.png"]
def J1(obj): return json.dumps(obj).encode()
def items_probes():
    for path in ["/v1/batch-upload/submit"]:
        for v in vals:
            for item in [{"type": "url", "url": v}, {"type": "base64", "data": v}, {"type": v, "url": "http://127.0.0.1:9/a.png"},
                         {"type": "url", "url": "http://127.0.0.1:9/a.png", "image_name": v}, {"type": "base64", "data": base64.b64encode(IMG).decode(), "image_name": v}]:
                req("POST", path, J, J1({"items": [item]}), what=f"item {str(item)[:60]}")
            req("POST", path, J, J1({"batch_id": v, "items": [{"type": "url", "url": "http://127.0.0.1:9/a.png"}]}), what=f"batch_id {str(v)[:30]}")
            req("POST", path, J, J1({"items": v}), what=f"items={str(v)[:30]}")
            req("POST", path, J, J1({"items": [{"type": "url", "url": "http://127.0.0.1:9/a.png"}], "callback_url": v}), what=f"callback {str(v)[:30]}")
        req("POST", path, J, J1({"items": [{"type": "url", "url": "http://127.0.0.1:9/a.png"}] * 301}), what="301 items")
        req("POST", path, J, J1({"items": [{"type": "base64", "data": "data:image/png;base64," + base64.b64encode(IMG).decode()}]}), what="data uri")
        req("POST", path, J, J1({"items": [{"type": "base64", "data": "=" * 100}]}), what="b64 padding")
        req("POST", path, J, J1({"items": [{"type": "base64", "data": base64.b64encode(random.randbytes(3000)).decode()}]}), what="b64 random")
        req("POST", path, J, b'{"items":[{"type":"url","url":"http://127.0.0.1:9/a.png","type":"base64"}]}', what="dup keys")
        req("POST", path, J, b'{"items":[{"type":"url","url":"http://127.0.0.1:9/a.png"}]} trailing', what="trailing")
        req("POST", path, J, b'{"items":[{"type":"url","url":"http://127.0.0.1:9/a.png"}]}{"x":1}', what="two docs")
        req("POST", path, J, b'{"items":[{"type":"url","url":"http://127.0.0.1:9/a.png"}],"batch_id":"ok-1","extra":{"deep":' + b'[' * 3000 + b']' * 3000 + b'}}', what="deep extra")
def webhook_probes():
    for v in vals:
        for body in [{"url": v, "events": ["batch.completed"]}, {"url": "http://127.0.0.1:9/hook", "events": v}, {"url": "http://127.0.0.1:9/hook", "events": [v]},
                     {"url": "http://127.0.0.1:9/hook", "events": ["batch.completed"], "secret": v}, {"url": "http://127.0.0.1:9/hook", "description": v}]:
            req("POST", "/v1/webhooks", J, J1(body), what=f"webhook {str(body)[:60]}")
    for q in ["?limit=0", "?limit=-1", "?limit=abc", "?limit=999999999999", "?cursor=%FF%FE", "?cursor=" + "z" * 5000, "?status=x", "?limit=1&limit=2"]:
        req("GET", "/v1/webhooks" + q, AUTH)
        req("GET", "/v1/webhooks/wh_x/deliveries" + q, AUTH)
def fileservice_probes():
    B = "/api_gateway/file-service"
    names = ["%2e%2e", "..", ".", "%2F", "a%00b", "a%0d%0ab", "%C0%AE", "x" * 1000, "%F0%9F%98%80.png", "a;b=c.png", "a%20.png", "%", "%zz", "CON.png", "a.png%3Fx"]
    for ns in ["rewards", "..", "%2e%2e", "a" * 300, "%00", "ns%2Fx", "", "UPPER", "-", "_"]:
        for n in names:
            for m, body in [("POST", multipart([("file", "a.png", "image/png", IMG)])), ("GET", b""), ("DELETE", b"")]:
                h = {**BASIC, **MP} if m == "POST" else BASIC
                req(m, f"{B}/{ns}/{n}", h, body, what=f"fs {m} {ns[:10]}/{n[:20]}")
    for q in ["?version=0", "?version=-1", "?version=1.5", "?version=", "?version=1&version=2", "?metadata=maybe", "?metadata=true&version=x", "?acl=WEIRD", "?acl=PRIVATE&acl=PUBLIC"]:
        for m in ["GET", "DELETE", "POST"]:
            body = multipart([("file", "a.png", "image/png", IMG)]) if m == "POST" else b""
            req(m, f"{B}/rewards/q.png{q}", {**BASIC, **MP} if m == "POST" else BASIC, body, what=f"fs {m} {q}")
    # raw bodies (file service takes the body itself?)
    for ct in ["image/png", "application/octet-stream", "", "text/plain"]:
        req("POST", f"{B}/rewards/raw.png", {**BASIC, "Content-Type": ct} if ct else BASIC, IMG, what=f"fs raw ct={ct}")
def inventorum_probes():
    for ver in ["", "0", "1", "3", "7", "8", "12", "13", "999", "-1", "1.5", "abc", "12, 8"]:
        for t in [None, "", "product", "PRODUCT", "4", "-1", "account", "\x00"]:
            parts = [] if t is None else [("type", None, None, t.encode())]
            for field in ["image", "product_image"]:
                h = {**AUTH, **MP}
                if ver: h["X-Api-Version"] = ver
                req("POST", "/api/images/", h, multipart(parts + [(field, "a.png", "image/png", IMG)]), what=f"inv v={ver} type={t!r} {field}")
def zip_probes():
    def z(entries, comp=zipfile.ZIP_DEFLATED):
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w", comp) as zf:
            for n, d in entries: zf.writestr(n, d)
        return b.getvalue()
    zips = {"traversal": z([("../../a.png", IMG), ("/abs.png", IMG), ("C:\\x.png", IMG)]), "empty": z([]), "dirs": z([("d/", b""), ("d/e/", b"")]),
            "bomb": z([("b.png", b"\x00" * 50_000_000)]), "nested": z([("in.zip", z([("a.png", IMG)]))]), "many": z([(f"{i}.png", IMG) for i in range(400)]),
            "weirdnames": z([("\u202egnp.exe", IMG), ("a\x01.png", IMG), ("x" * 60000 + ".png", IMG)]), "truncated": z([("a.png", IMG)])[:-30],
            "garbage": b"PK\x05\x06" + random.randbytes(18), "dupes": z([("a.png", IMG), ("a.png", IMG)]), "stored": z([("a.png", IMG)], zipfile.ZIP_STORED)}
    for name, data in zips.items():
        for ct in ["application/zip", "application/octet-stream"]:
            req("POST", "/v1/batch-upload/submit-with-files", {**AUTH, **MP}, multipart([("files", name + ".zip", ct, data)]), what=f"zip {name} {ct}")
        for path, field, auth in [("/attachment/upload", "file", AUTH), ("/image_upload", "file", AUTH), ("/api/images/", "image", AUTH)]:
            req("POST", path, {**auth, **MP}, multipart([(field, name + ".zip", "application/zip", data)]), what=f"zip {name} {path}")
def misc_probes():
    for p in ["/v1/batch-upload/status/x/events", "/api/vdr/batch-upload/status/%20/events"]:
        req("GET", p, {**AUTH, "Accept": "text/event-stream", "Last-Event-ID": "abc"})
        req("GET", p, {**AUTH, "Accept": "application/xml"})
    for acc in ["application/xml", "text/html", "*/*;q=abc", "application/json;q=0", "image/png", ";;;"]:
        req("GET", "/v1/batch-upload/status/nope", {**AUTH, "Accept": acc})
        req("POST", "/v1/batch-upload/submit", {**J, "Accept": acc}, b"{}")
        req("POST", "/image_upload", {**AUTH, **MP, "Accept": acc}, multipart([]))
        req("POST", "/batch_image_upload", {"Content-Type": "application/json", "Accept": acc}, b"{}")
    for ae in ["gzip", "br", "deflate;q=x", "*"]:
        req("GET", "/v1/batch-upload/status/nope", {**AUTH, "Accept-Encoding": ae})
    req("POST", "/v1/batch-upload/submit", {**J, "Content-Encoding": "gzip"}, b"\x1f\x8b" + random.randbytes(50))
    req("POST", "/load_batch_images", {"Content-Type": "application/x-www-form-urlencoded"}, b"nursery_id=1&batch_id=1&user_id=1&JWT_code=" + TOKEN.encode())
    req("POST", "/batch_image_upload", {"Content-Type": "application/json"}, b'{"parameters":{"nursery_id":2,"user_id":1,"JWT_code":"' + TOKEN.encode() + b'","batch_id":1,"file_id":999999,"image_type":"ROOT"}}')
    req("POST", "/batch_image_upload", {"Content-Type": "application/json"}, b'{"parameters":{"nursery_id":"2","user_id":"1","JWT_code":"' + TOKEN.encode() + b'","batch_id":"1","file_id":"1","image_type":"ROOT"}}')
    for q in ["nursery_id=1e3", "nursery_id=1&nursery_id=2", "batch_id=-1", "user_id=%00", "JWT_code=a.b.c"]:
        req("GET", "/load_batch_images?" + q + "&batch_id=1&user_id=1&nursery_id=2&JWT_code=" + TOKEN)


GROUPS = [protocol_probes, get_probes, json_probes, multipart_probes, items_probes, webhook_probes, fileservice_probes,
          inventorum_probes, zip_probes, misc_probes]
if __name__ == "__main__":
    only = os.environ.get("ONLY", "").split()
    for group in GROUPS:
        if only and group.__name__ not in only:
            continue
        t = time.time()
        group()
        print(f"{group.__name__}: {count} requests so far, {len(problems)} problems, {time.time() - t:.0f} s", flush=True)
    for p in problems[:80]:
        print("PROBLEM", p)
    print(f"hostile-probe: {count} requests, {len(problems)} problems")
    sys.exit(1 if problems else 0)
