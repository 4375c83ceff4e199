#!/usr/bin/env python3
"""A slow URL job beside quick ones, against a running Intake (loopback only).

Starts an origin on 127.0.0.1:ORIGIN_PORT that sends the first GET of each path at 1 byte a second
for 40 s, submits one URL item from it, then 48 small PNGs (multipart) and 8 AnqiCMS uploads, and
prints when each of the 48 was stored (seconds after its submit) and each upload's answer time.
With no slow job holding others back, every item ends within a few seconds.

Run Intake with the origin's port allowed:
  INTAKE_WORKER_FETCH_ALLOWLOOPBACK=true INTAKE_WORKER_FETCH_ALLOWEDPORTS=80,443,18994 \\
    ./mvnw -pl local -am spring-boot:run
then: python3 bench/scripts/slow-job-probe.py   (env INTAKE_PORT, INTAKE_API_TOKEN, ORIGIN_PORT)
Needs only the standard library.
"""
import datetime
import http.server
import json
import os
import socketserver
import struct
import threading
import time
import urllib.request
import uuid
import zlib

PORT = int(os.environ.get("INTAKE_PORT", "8080"))
TOKEN = os.environ.get("INTAKE_API_TOKEN", "local-dev-token")
ORIGIN_PORT = int(os.environ.get("ORIGIN_PORT", "18994"))
BASE = f"http://127.0.0.1:{PORT}"
TAG = uuid.uuid4().hex[:8]


def png(seed, size=9):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + bytes(((seed * 7 + x * 3 + y) % 256) for x in range(size * 3)) for y in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


SLOW_BODY = png(999, 64)


class Trickle(http.server.BaseHTTPRequestHandler):
    seen = set()

    def do_GET(self):
        first = self.path not in Trickle.seen
        Trickle.seen.add(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(SLOW_BODY)))
        self.end_headers()
        try:
            if first:
                for i in range(40):
                    self.wfile.write(SLOW_BODY[i:i + 1])
                    self.wfile.flush()
                    time.sleep(1)
            else:
                self.wfile.write(SLOW_BODY)
        except OSError:
            pass

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def multipart(fields):
    boundary = "b" + uuid.uuid4().hex
    out = b""
    for name, filename, data in fields:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        out += (b"Content-Type: image/png\r\n" if filename else b"") + b"\r\n" + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def post(path, body, content_type):
    request = urllib.request.Request(BASE + path, data=body, method="POST",
                                     headers={"Authorization": "Bearer " + TOKEN, "Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def status(batch):
    request = urllib.request.Request(f"{BASE}/v1/batch-upload/status/{batch}", headers={"Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())["data"]


def main():
    server = Server(("127.0.0.1", ORIGIN_PORT), Trickle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    slow = {"batch_id": f"slow-{TAG}", "items": [{"type": "url", "url": f"http://127.0.0.1:{ORIGIN_PORT}/slow-{TAG}.png"}]}
    post("/v1/batch-upload/submit", json.dumps(slow).encode(), "application/json")
    time.sleep(2)
    body, content_type = multipart([("files", f"q{i}.png", png(i)) for i in range(48)] + [("batch_id", None, f"quick-{TAG}".encode())])
    submitted = time.time()
    post("/v1/batch-upload/submit-with-files", body, content_type)
    uploads = []
    for i in range(8):
        one, one_type = multipart([("file", f"a{i}.png", png(100 + i))])
        started = time.time()
        post(f"/attachment/upload?token={TOKEN}", one, one_type)
        uploads.append(round(time.time() - started, 1))
    while True:
        data = status(f"quick-{TAG}")
        if data["status"] in ("TASK_SUCCEEDED", "TASK_FAILED") or time.time() - submitted > 150:
            break
        time.sleep(1)
    ends = sorted(round(datetime.datetime.fromisoformat(r["processed_at"].replace("Z", "+00:00")).timestamp() - submitted, 1)
                  for r in data["results"] if r.get("processed_at"))
    slow_state = status(f"slow-{TAG}")["status"]
    print(f"quick batch: {data['status']}, {data['processed_count']} of 48; stored at (s after submit): {ends}")
    print(f"single-file uploads answered in (s): {uploads}")
    print(f"slow batch meanwhile: {slow_state}")
    server.shutdown()


if __name__ == "__main__":
    main()
